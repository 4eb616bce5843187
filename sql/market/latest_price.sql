-- The price of a symbol at p_at (market.price_at: the quote when it is the newest observation, else the
-- close of the newest bar at or before p_at).
-- depends: market/price_at.sql
create or replace function market.latest_price(
    p_symbol text,
    p_at timestamptz default pg_catalog.now(),
    p_timeframe text default '1d'
)
returns numeric
language sql
stable
as $$
    select p.price
    from market.securities as s
    cross join lateral market.price_at(s.id, p_at, p_timeframe) as p
    where s.symbol = p_symbol
$$;

comment on function market.latest_price(text, timestamptz, text) is
'The price of p_symbol at p_at: the quote if it is the newest observation, else the close of the newest '
'p_timeframe bar at or before p_at; null when nothing is known.';
