-- The latest price of a security. Ticks are not stored as bars: bars come from imports
-- (tradebase market import), and market.quotes keeps only the newest price per security.
-- depends: market/security_lock_key.sql
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
    -- Validate before any cast to app.price/app.quantity so bad input never surfaces as an overflow,
    -- nor as a price that rounds to zero, nor as a time so far ahead that it freezes the quote
    -- (docs/trading.md, "Limits").
    perform trading.positive_price(p_price, 'p_price');
    perform trading.checked_time(p_at, 'p_at');
    if p_bid is not null then
        perform trading.positive_price(p_bid, 'p_bid');
    end if;
    if p_ask is not null then
        perform trading.positive_price(p_ask, 'p_ask');
    end if;
    if p_bid > p_ask then
        perform app.raise_error('22023',
            pg_catalog.format('bid %s is above ask %s of %s', p_bid, p_ask, v_security.symbol), 'Pass bid <= ask.');
    end if;
    if p_volume is not null then
        perform trading.checked_number(p_volume, 'p_volume', 0, app.max_volume(), 10);
    end if;

    -- The security's lock, shared, before the quote's row lock (market.security_lock_key): a split
    -- locks the holders' accounts and then the quote, and the matching below locks accounts after the
    -- quote, so without it a tick and a split of one symbol could deadlock (40P01).
    perform pg_catalog.pg_advisory_xact_lock_shared(market.security_lock_key(v_security.symbol));

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
    -- and wake tradebase worker for their events (one notify lock for the batch).
    v_filled := trading.match_resting_orders(
        v_security.id, p_price, p_price, p_price, p_price, p_bid, p_ask, p_volume, p_at
    );
    if v_filled > 0 then
        perform notify.wake_worker();
    end if;
    return v_filled;
end
$$;

comment on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) is
'Admin only: record the latest price (and optional bid/ask/volume) of a security in market.quotes; a price older '
'than the stored quote is ignored. Returns how many resting orders it filled (trading.match_resting_orders). '
'22023 for a price, bid or ask outside 0.00000001 .. app.max_price() or with more than 8 decimals, a volume '
'outside 0 .. 10^17, or a time more than auth.clock_skew() ahead of the clock; P0002 unknown symbol, TB020 inactive; '
'42501 for non-admins.';
