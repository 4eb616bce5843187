-- Matches one open order against one bar or tick (§5 fill model): price, volume participation,
-- ioc/fok, stop_limit triggering, FX, and buying power at the fill. The caller holds the account lock.
-- depends: trading/apply_fill.sql trading/close_order.sql trading/fill_price.sql trading/fill_quantity.sql
create or replace function trading.match_order(
    p_order_id uuid,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_last numeric,
    p_bid numeric,
    p_ask numeric,
    p_volume numeric,
    p_at timestamptz
)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order trading.orders;
    v_account trading.accounts;
    v_security market.securities;
    v_triggered boolean;
    v_price numeric;
    v_quantity numeric;
    v_fx numeric;
    v_immediate boolean;
begin
    select * into strict v_order from trading.orders as o where o.id = p_order_id;
    if v_order.status not in ('new', 'partially_filled') or v_order.last_matched_at >= p_at then
        return false;
    end if;
    select * into strict v_account from trading.accounts as a where a.id = v_order.account_id;
    select * into strict v_security from market.securities as s where s.id = v_order.security_id;
    v_immediate := v_order.time_in_force in ('ioc', 'fok');

    v_triggered := v_order.stop_triggered;
    v_price := trading.fill_price(
        v_order.side, v_order.order_type, v_order.limit_price, v_order.stop_price, v_triggered,
        p_open, p_high, p_low,
        case when v_order.side = 'buy' then coalesce(p_ask, p_last) else coalesce(p_bid, p_last) end,
        v_account.slippage_bps
    );
    -- A stop reached on this bar stays triggered, filled or not: a stop then acts as a market order,
    -- a stop_limit as a limit order.
    if v_order.order_type in ('stop', 'stop_limit') and not v_triggered
        and ((v_order.side = 'buy' and p_high >= v_order.stop_price)
            or (v_order.side = 'sell' and p_low <= v_order.stop_price)) then
        v_triggered := true;
    end if;
    update trading.orders as o
    set last_matched_at = p_at, stop_triggered = v_triggered
    where o.id = v_order.id;

    if v_price is null then
        if v_immediate then
            perform trading.close_order(v_order.id, 'canceled', v_order.time_in_force || ': not marketable at once');
        end if;
        return false;
    end if;

    v_quantity := trading.fill_quantity(
        v_order.quantity - v_order.filled_quantity, p_volume, v_account.max_volume_participation,
        v_security.fractionable
    );
    if v_quantity = 0 or (v_order.time_in_force = 'fok' and v_quantity < v_order.quantity - v_order.filled_quantity) then
        if v_immediate then
            perform trading.close_order(v_order.id, 'canceled', v_order.time_in_force || ': not enough volume');
        end if;
        return false;
    end if;

    v_fx := trading.settlement_rate(v_security.currency, v_account.base_currency, p_at);
    if v_fx is null then
        perform trading.close_order(
            v_order.id, 'canceled',
            pg_catalog.format('no FX rate from %s to %s at the fill', v_security.currency, v_account.base_currency)
        );
        return false;
    end if;

    if trading.apply_fill(v_order.id, v_quantity, v_price, v_fx, p_at) is null then
        perform trading.close_order(v_order.id, 'canceled', 'insufficient buying power at the fill price');
        return false;
    end if;

    if v_order.time_in_force = 'ioc' and v_quantity < v_order.quantity - v_order.filled_quantity then
        perform trading.close_order(v_order.id, 'canceled', 'ioc: unfilled remainder canceled');
    end if;
    return true;
end
$$;

comment on function trading.match_order(uuid, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz) is
'Matches an open order against a bar (open/high/low/last, bid/ask for market orders, volume): fills what the '
'§5 model allows, triggers stop_limits, cancels ioc/fok leftovers and orders that can no longer be paid for. '
'True when something filled. Caller holds the account lock.';
