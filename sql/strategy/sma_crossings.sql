-- depends: strategy/range_bars.sql
-- The crossings of an SMA crossover (DESIGN §5): SMA = the mean of the last k closes, a cross up at bar i
-- when fast[i-1] < slow[i-1] and fast[i] > slow[i] (strict on both), down likewise; the first bar that can
-- cross is bar `slow` (both averages defined at i - 1). Compared exactly, without a division:
-- fast > slow  <=>  slow × (sum of the last fast closes) > fast × (sum of the last slow closes), each sum a
-- difference of range_bars' running total. Set-based: one pass over the bars (the running total, two lags,
-- then the previous difference and the next bar), ordered by ts as the index reads them, so nothing is
-- sorted; only the crossings come out, each with the bar it fills at (the next one: its start and open),
-- for strategy.simulate to walk.
drop function if exists strategy.sma_crossings(uuid, text, date, date, integer, integer);
create or replace function strategy.sma_crossings(
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date,
    p_fast integer,
    p_slow integer
)
returns table (bar_no integer, direction integer, fill_at timestamptz, fill_open numeric)
language sql
stable
as $$
    with differences as (
        select
            b.bar_no,
            b.ts,
            b.open,
            p_slow * (b.close_total - pg_catalog.lag(b.close_total, p_fast, 0::numeric) over w)
            - p_fast * (b.close_total - pg_catalog.lag(b.close_total, p_slow, 0::numeric) over w) as difference
        from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
        window w as (order by b.ts)
    ),
    pairs as (
        select
            d.bar_no,
            d.ts,
            d.difference,
            pg_catalog.lag(d.difference) over w as previous,
            pg_catalog.lead(d.ts) over w as fill_at,
            pg_catalog.lead(d.open) over w as fill_open
        from differences as d
        window w as (order by d.ts)
    )
    select
        p.bar_no,
        case when p.difference > 0 then 1 else -1 end,
        p.fill_at,
        p.fill_open
    from pairs as p
    where
        p.bar_no >= p_slow
        and ((p.previous < 0 and p.difference > 0) or (p.previous > 0 and p.difference < 0))
    order by p.ts
$$;

comment on function strategy.sma_crossings(uuid, text, date, date, integer, integer) is
'The bars (strategy.range_bars numbering) where the p_fast-bar SMA of closes crosses the p_slow-bar one: direction 1 '
'up, -1 down (strict on both bars, DESIGN §5), with the start and open of the next bar (null after the last).';
