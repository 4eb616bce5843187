-- depends: strategy/range_bars.sql strategy/wilder_rsi.sql
-- The decisions of an rsi_reversion strategy (issue 16 §2): buy when flat and the RSI closes below
-- p_oversold, close when it closes above p_overbought. The RSI is a running window aggregate
-- (strategy.wilder_rsi); a bar below oversold leaves the strategy long and one above overbought leaves it
-- flat whatever came before, so only the first bar of each change of zone matters: those come out (target
-- 1 long, 0 flat), each with the bar it fills at (the next one: its start and open), for strategy.simulate
-- to walk. Windows ordered by ts, as the index reads the bars, so nothing is sorted.
drop function if exists strategy.rsi_entries(uuid, text, date, date, integer, numeric, numeric);
create or replace function strategy.rsi_entries(
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date,
    p_period integer,
    p_oversold numeric,
    p_overbought numeric
)
returns table (bar_no integer, target integer, fill_at timestamptz, fill_open numeric)
language sql
stable
as $$
    with changes as (
        select
            b.bar_no,
            b.ts,
            b.close::double precision - (pg_catalog.lag(b.close) over w)::double precision as change,
            pg_catalog.lead(b.ts) over w as fill_at,
            pg_catalog.lead(b.open) over w as fill_open
        from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
        window w as (order by b.ts)
    ),
    levels as (
        select c.bar_no, c.fill_at, c.fill_open, strategy.wilder_rsi(c.change, p_period) over (order by c.ts) as rsi
        from changes as c
    ),
    zones as (
        select
            l.bar_no,
            l.fill_at,
            l.fill_open,
            case when l.rsi < p_oversold::double precision then 1 else 0 end as target
        from levels as l
        where l.rsi < p_oversold::double precision or l.rsi > p_overbought::double precision
    )
    select z.bar_no, z.target, z.fill_at, z.fill_open
    from (
        select zz.bar_no, zz.target, zz.fill_at, zz.fill_open, pg_catalog.lag(zz.target) over (order by zz.bar_no) as previous
        from zones as zz
    ) as z
    where z.previous is distinct from z.target
    order by z.bar_no
$$;

comment on function strategy.rsi_entries(uuid, text, date, date, integer, numeric, numeric) is
'The bars (strategy.range_bars numbering) where an rsi_reversion strategy''s zone changes: target 1 (RSI closed '
'below p_oversold: be long) or 0 (above p_overbought: be flat), with the start and open of the next bar (null after '
'the last).';
