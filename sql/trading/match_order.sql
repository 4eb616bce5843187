-- Matches one open order against one bar or tick (§5 fill model): price, volume participation,
-- ioc/fok, stop triggering, FX, and buying power at the fill. The caller holds the account lock and
-- passes the current order and account rows.
-- depends: trading/apply_fill.sql trading/close_order.sql trading/fill_price.sql trading/fill_quantity.sql
drop function if exists trading.match_order(uuid, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz);
create or replace function trading.match_order(
    p_order trading.orders,
    p_account trading.accounts,
    p_security market.securities,
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
    v_remaining numeric := p_order.quantity - p_order.filled_quantity;
    v_triggered boolean := p_order.stop_triggered;
    v_price numeric;
    v_quantity numeric;
    v_fx numeric;
    v_reason text;
begin
    if p_order.status not in ('new', 'partially_filled') or p_order.last_matched_at >= p_at then
        return false;
    end if;

    v_price := trading.fill_price(
        p_order.side, p_order.order_type, p_order.limit_price, p_order.stop_price, v_triggered,
        p_open, p_high, p_low,
        case when p_order.side = 'buy' then coalesce(p_ask, p_last) else coalesce(p_bid, p_last) end,
        p_account.slippage_bps
    );
    -- A stop reached on this bar stays triggered, filled or not: a stop then acts as a market order,
    -- a stop_limit as a limit order.
    if p_order.order_type in ('stop', 'stop_limit') and not v_triggered
        and ((p_order.side = 'buy' and p_high >= p_order.stop_price)
            or (p_order.side = 'sell' and p_low <= p_order.stop_price)) then
        v_triggered := true;
    end if;

    if v_price is not null then
        v_quantity := trading.fill_quantity(
            v_remaining, p_volume, p_account.max_volume_participation, p_security.fractionable
        );
        if v_quantity > 0 and (p_order.time_in_force <> 'fok' or v_quantity = v_remaining) then
            v_fx := trading.settlement_rate(p_security.currency, p_account.base_currency, p_at);
            if v_fx is null then
                v_reason := pg_catalog.format(
                    'no FX rate from %s to %s at the fill', p_security.currency, p_account.base_currency
                );
            elsif trading.apply_fill(p_order, p_account, v_quantity, v_price, v_fx, p_at, v_triggered) is null then
                v_reason := 'insufficient buying power at the fill price';
            elsif p_order.time_in_force = 'ioc' and v_quantity < v_remaining then
                perform trading.close_order(p_order.id, 'canceled', 'ioc: unfilled remainder canceled');
                return true;
            else
                return true;
            end if;
        elsif p_order.time_in_force in ('ioc', 'fok') then
            v_reason := p_order.time_in_force || ': not enough volume';
        end if;
    elsif p_order.time_in_force in ('ioc', 'fok') then
        v_reason := p_order.time_in_force || ': not marketable at once';
    end if;

    update trading.orders as o
    set last_matched_at = p_at, stop_triggered = v_triggered
    where o.id = p_order.id;
    if v_reason is not null then
        perform trading.close_order(p_order.id, 'canceled', v_reason);
    end if;
    return false;
end
$$;

comment on function trading.match_order(
    trading.orders, trading.accounts, market.securities, numeric, numeric, numeric, numeric, numeric, numeric,
    numeric, timestamptz
) is
'Matches an open order (its current row; the caller holds the account lock) against a bar: open/high/low/last, '
'bid/ask for market orders, volume. Fills what the §5 model allows, triggers stops, cancels ioc/fok leftovers and '
'orders that can no longer be paid for or converted. True when something filled.';
