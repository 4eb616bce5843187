-- The bars a backtest runs over, numbered from 0: every function of a backtest (indicators, signals, the
-- equity curve) reads them through this one definition, so their bar numbers agree. close_total is the
-- running sum of the closes, from which any moving sum is one subtraction (strategy.sma_crossings); computed
-- in the same window as the numbering, and dropped by the planner where a caller does not read it. SQL, not
-- strict and without a SET clause (either would stop it being inlined), so the planner inlines it and reads
-- only the partitions of market.market_data in the range, in index order: callers order their windows by ts
-- (not bar_no, which the planner cannot tell is in the same order) so that no window sorts the bars again.
drop function if exists strategy.range_bars(uuid, text, date, date);
create or replace function strategy.range_bars(
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date
)
returns table (
    bar_no integer,
    ts timestamptz,
    open numeric,
    close numeric,
    close_total numeric
)
language sql
stable
as $$
    select
        (pg_catalog.row_number() over w - 1)::integer,
        d.ts,
        d.open,
        d.close,
        pg_catalog.sum(d.close) over w
    from market.market_data as d
    where
        d.security_id = p_security_id
        and d.timeframe = p_timeframe
        and d.ts >= p_start::timestamp at time zone 'UTC'
        and d.ts < (p_end + 1)::timestamp at time zone 'UTC'
    window w as (order by d.ts rows unbounded preceding)
$$;

comment on function strategy.range_bars(uuid, text, date, date) is
'Bars of one security and timeframe starting on the UTC days p_start to p_end, numbered from 0 in time order, '
'with the running sum of their closes.';
