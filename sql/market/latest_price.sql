-- The quote when it is the newest observation at p_at, else the close of the newest bar at or before p_at.
-- The security id is an InitPlan, so children after p_at are pruned and each earlier child costs one
-- backward index probe (Merge Append + limit 1), instead of a join scanning every child.
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
        select
            q.price,
            q.quoted_at as observed_at
        from market.quotes as q
        where
            q.security_id = (select s.id from market.securities as s where s.symbol = p_symbol)
            and q.quoted_at <= p_at
        union all
        (
            select
                d.close,
                d.ts
            from market.market_data as d
            where
                d.security_id = (select s.id from market.securities as s where s.symbol = p_symbol)
                and d.timeframe = p_timeframe
                and d.ts <= p_at
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
