-- depends: strategy/range_bars.sql
-- The crossings of an SMA crossover (DESIGN §5): SMA = the mean of the last k closes, a cross up at bar i
-- when fast[i-1] < slow[i-1] and fast[i] > slow[i] (strict on both), down likewise; the first bar that can
-- cross is bar `slow` (both averages defined at i - 1). Set-based: two window averages and a lag, one pass
-- over the bars; only the crossings come out, for strategy.simulate to walk. A parameter sweep calls this
-- per (fast, slow) or computes the same windows for many pairs in one query.
create or replace function strategy.sma_crossings(
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date,
    p_fast integer,
    p_slow integer
)
returns table (bar_no integer, direction integer)
language sql
stable
as $$
    with averages as (
        select
            b.bar_no,
            pg_catalog.avg(b.close) over (order by b.bar_no rows between p_fast - 1 preceding and current row) as fast,
            pg_catalog.avg(b.close) over (order by b.bar_no rows between p_slow - 1 preceding and current row) as slow
        from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
    ),
    pairs as (
        select
            a.bar_no,
            a.fast,
            a.slow,
            pg_catalog.lag(a.fast) over (order by a.bar_no) as previous_fast,
            pg_catalog.lag(a.slow) over (order by a.bar_no) as previous_slow
        from averages as a
    )
    select
        p.bar_no,
        case when p.fast > p.slow then 1 else -1 end
    from pairs as p
    where
        p.bar_no >= p_slow
        and (
            (p.previous_fast < p.previous_slow and p.fast > p.slow)
            or (p.previous_fast > p.previous_slow and p.fast < p.slow)
        )
    order by p.bar_no
$$;

comment on function strategy.sma_crossings(uuid, text, date, date, integer, integer) is
'The bars (strategy.range_bars numbering) where the p_fast-bar SMA of closes crosses the p_slow-bar one: direction 1 '
'up, -1 down (strict on both bars, DESIGN §5).';
