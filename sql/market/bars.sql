-- SQL and not strict, so the planner inlines it and prunes market_data to the partitions of [p_from, p_to).
create or replace function market.bars(
    p_symbol text,
    p_timeframe text,
    p_from timestamptz,
    p_to timestamptz
)
returns table (
    ts timestamptz,
    open numeric,
    high numeric,
    low numeric,
    close numeric,
    volume numeric,
    vwap numeric
)
language sql
stable
as $$
    select d.ts, d.open, d.high, d.low, d.close, d.volume, d.vwap
    from market.market_data as d
    where
        d.security_id = (select s.id from market.securities as s where s.symbol = p_symbol)
        and d.timeframe = p_timeframe
        and d.ts >= p_from
        and d.ts < p_to
    order by d.ts
$$;

comment on function market.bars(text, text, timestamptz, timestamptz) is
'Bars of one symbol and timeframe with p_from <= ts < p_to, oldest first; reads only the partitions of that range.';
