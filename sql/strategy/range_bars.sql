-- The bars a backtest runs over, numbered from 0: every function of a backtest (indicators, signals, the
-- equity curve) reads them through this one definition, so their bar numbers agree. SQL, not strict and
-- without a SET clause (either would stop it being inlined), so the planner inlines it and reads only the
-- partitions of market.market_data in the range; every name in it is schema-qualified.
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
    close numeric
)
language sql
stable
as $$
    select
        (pg_catalog.row_number() over (order by d.ts) - 1)::integer,
        d.ts,
        d.open,
        d.close
    from market.market_data as d
    where
        d.security_id = p_security_id
        and d.timeframe = p_timeframe
        and d.ts >= p_start::timestamp at time zone 'UTC'
        and d.ts < (p_end + 1)::timestamp at time zone 'UTC'
$$;

comment on function strategy.range_bars(uuid, text, date, date) is
'Bars of one security and timeframe starting on the UTC days p_start to p_end, numbered from 0 in time order.';
