-- The latest price of a security. Ticks are not stored as bars: bars come from imports
-- (tradebase market import), and market.quotes keeps only the newest price per security.
create or replace function api.record_price(
    p_symbol text,
    p_price numeric,
    p_at timestamptz default pg_catalog.now(),
    p_bid numeric default null,
    p_ask numeric default null,
    p_volume numeric default null
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_security market.securities;
    v_filled integer;
begin
    perform app.require_admin(pg_catalog.format('record prices (%s)', p_symbol));
    v_security := market.security(p_symbol);
    if not v_security.is_active then
        perform app.raise_error('TB020', pg_catalog.format('security %s is inactive', v_security.symbol));
    end if;
    -- Validate before any cast to app.price/app.quantity so bad input never surfaces as an overflow.
    if p_price is null or p_price = 'NaN' or p_price <= 0 or p_price >= 1e16 then
        perform app.raise_error('22023', pg_catalog.format('p_price %s of %s is not a positive price', p_price, v_security.symbol));
    end if;
    if p_at is null or not pg_catalog.isfinite(p_at) then
        perform app.raise_error('22023', pg_catalog.format('p_at %s of %s is not a point in time', p_at, v_security.symbol));
    end if;
    if p_bid = 'NaN' or p_bid <= 0 or p_bid >= 1e16 or p_ask = 'NaN' or p_ask <= 0 or p_ask >= 1e16 or p_bid > p_ask then
        perform app.raise_error('22023',
            pg_catalog.format('bid %s / ask %s of %s are not positive with bid <= ask', p_bid, p_ask, v_security.symbol));
    end if;
    if p_volume = 'NaN' or p_volume < 0 or p_volume >= 1e18 then
        perform app.raise_error('22023', pg_catalog.format('p_volume %s of %s is not a volume', p_volume, v_security.symbol));
    end if;

    -- A late tick (older than the stored quote) does not move the latest price back.
    insert into market.quotes as q (security_id, price, bid, ask, volume, quoted_at)
    values (v_security.id, p_price, p_bid, p_ask, p_volume, p_at)
    on conflict (security_id) do update
        set price = excluded.price,
            bid = excluded.bid,
            ask = excluded.ask,
            volume = excluded.volume,
            quoted_at = excluded.quoted_at
        where q.quoted_at <= excluded.quoted_at;

    -- The tick is a bar with open = high = low = close: fill the resting orders it makes marketable,
    -- and announce the queued fill events (one notify lock for the batch).
    v_filled := trading.match_resting_orders(
        v_security.id, p_price, p_price, p_price, p_price, p_bid, p_ask, p_volume, p_at
    );
    if v_filled > 0 then
        perform notify.announce_pending();
    end if;
    return v_filled;
end
$$;

comment on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) is
'Admin only: record the latest price (and optional bid/ask/volume) of a security in market.quotes; a price older '
'than the stored quote is ignored. Returns how many resting orders it filled (trading.match_resting_orders).';
