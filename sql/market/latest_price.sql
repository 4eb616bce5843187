-- The quote when it is the newest observation at p_at, else the close of the newest bar at or before p_at.
-- SQL so the planner inlines it; "ts <= p_at order by ts desc limit 1" stops in the newest partition.
create or replace function market.latest_price(
    p_symbol text,
    p_at timestamptz default pg_catalog.now(),
    p_timeframe text default '1d'
)
returns numeric
language sql
stable
as $$
    select o.price
    from (
        select q.price, q.quoted_at as observed_at
        from market.quotes as q
        inner join market.securities as s on q.security_id = s.id
        where s.symbol = p_symbol and q.quoted_at <= p_at
        union all
        (
            select d.close, d.ts
            from market.market_data as d
            inner join market.securities as s on d.security_id = s.id
            where s.symbol = p_symbol and d.timeframe = p_timeframe and d.ts <= p_at
            order by d.ts desc
            limit 1
        )
    ) as o
    order by o.observed_at desc
    limit 1
$$;

comment on function market.latest_price(text, timestamptz, text) is
'The price of p_symbol at p_at: the quote if it is the newest observation, else the close of the newest '
'p_timeframe bar at or before p_at; null when nothing is known.';
