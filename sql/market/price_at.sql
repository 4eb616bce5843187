-- The price of a security at a time: the quote when it is the newest observation at p_at, else the close of
-- the newest p_timeframe bar at or before p_at; no row when nothing is known. The one definition of
-- "the last price at or before" (market.latest_price by symbol, the fund strike, its invariant).
-- A set-returning SQL function without a SET clause, so the planner inlines it into a lateral join (one
-- backward index probe per security, as if written in place) instead of calling it per row.
create or replace function market.price_at(p_security_id uuid, p_at timestamptz, p_timeframe text default '1d')
returns table (price numeric)
language sql
stable
as $$
    select o.price
    from (
        select
            q.price,
            q.quoted_at as observed_at
        from market.quotes as q
        where q.security_id = p_security_id and q.quoted_at <= p_at
        union all
        (
            select
                d.close,
                d.ts
            from market.market_data as d
            where d.security_id = p_security_id and d.timeframe = p_timeframe and d.ts <= p_at
            order by d.ts desc
            limit 1
        )
    ) as o
    order by o.observed_at desc
    limit 1
$$;

comment on function market.price_at(uuid, timestamptz, text) is
'The price of security p_security_id at p_at: the quote if it is the newest observation, else the close of the '
'newest p_timeframe bar at or before p_at; no row when nothing is known.';
