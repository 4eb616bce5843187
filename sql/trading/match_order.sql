-- Matches one open order against one bar or tick (§5 fill model): price, volume participation,
-- ioc/fok, stop triggering, FX, and buying power at the fill. The caller holds the account lock and
-- passes the current order, account and position rows; a new order (p_insert) exists only in memory
-- and is written once here, in the state this match leaves it.
-- depends: trading/apply_fill.sql trading/close_order.sql trading/fill_price.sql trading/fill_quantity.sql
-- depends: trading/closing_cap.sql trading/cancel_resting_order.sql trading/through_zero_reason.sql
-- depends: trading/save_order.sql
drop function if exists trading.match_order(
    trading.orders, trading.accounts, market.securities, numeric, numeric, numeric, numeric, numeric, numeric,
    numeric, timestamptz
);
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.match_order(
    p_order trading.orders,
    p_insert boolean,
    p_account trading.accounts,
    p_security market.securities,
    p_position trading.positions,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_last numeric,
    p_bid numeric,
    p_ask numeric,
    p_volume numeric,
    p_at timestamptz
)
returns trading.orders
language plpgsql
volatile
as $$
declare
    v_order trading.orders := p_order;
    v_filled trading.orders;
    v_remaining numeric := p_order.quantity - p_order.filled_quantity;
    v_price numeric;
    v_quantity numeric;
    v_fx numeric;
    v_reason text;
    v_cap numeric;
    v_notional numeric;
    v_fees numeric;
begin
    if not p_insert then
        if p_order.status not in ('new', 'partially_filled') or p_order.last_matched_at >= p_at then
            return p_order;
        end if;
        -- A fill never takes a position through zero, nor into units other open orders hold (§5). An
        -- order placed now was checked for both; a resting one may since have come to close its
        -- position, and then fills at most v_cap units (trading.closing_cap; null when it closes nothing).
        v_cap := trading.closing_cap(
            p_order.side, p_order.reserved_quantity, p_position.quantity, p_position.reserved_quantity
        );
    end if;

    v_price := trading.fill_price(
        p_order.side, p_order.order_type, p_order.limit_price, p_order.stop_price, p_order.stop_triggered,
        p_open, p_high, p_low,
        case when p_order.side = 'buy' then coalesce(p_ask, p_last) else coalesce(p_bid, p_last) end,
        p_account.slippage_bps
    );
    -- A stop reached on this bar stays triggered, filled or not: a stop then acts as a market order,
    -- a stop_limit as a limit order.
    v_order.stop_triggered := p_order.stop_triggered or (
        p_order.order_type in ('stop', 'stop_limit')
        and ((p_order.side = 'buy' and p_high >= p_order.stop_price)
            or (p_order.side = 'sell' and p_low <= p_order.stop_price))
    );
    v_order.last_matched_at := p_at;

    if v_price is not null then
        -- least() ignores a null v_cap: what the cap keeps from filling is canceled below.
        v_quantity := least(
            trading.fill_quantity(v_remaining, p_volume, p_account.max_volume_participation, p_security.fractionable),
            v_cap
        );
        if v_quantity > 0 and (p_order.time_in_force <> 'fok' or v_quantity = v_remaining) then
            v_fx := market.settlement_rate(p_security.currency, p_account.base_currency, p_at);
            if v_fx is null then
                v_reason := pg_catalog.format(
                    'no FX rate from %s to %s at the fill', p_security.currency, p_account.base_currency
                );
            else
                if not p_insert then
                    -- A resting order's fill is held to the limits before apply_fill computes it in the money
                    -- types: its price may have moved by orders of magnitude since it was placed (an order
                    -- placed now was checked at entry). Plain numeric, so nothing here can overflow; beyond
                    -- a limit the order is canceled with the reason (docs/trading.md, "Limits").
                    v_notional := pg_catalog.round(v_quantity * v_price * v_fx, 8);
                    v_fees := case when p_order.filled_quantity = 0 then p_account.commission_per_order else 0 end
                        + pg_catalog.round(v_notional * p_account.commission_rate, 8);
                    if v_notional + v_fees > app.max_balance() then
                        v_reason := pg_catalog.format(
                            'the fill of %s %s at %s would amount to %s %s with fees, above the limit of %s %s',
                            v_quantity, p_security.symbol, v_price, v_notional + v_fees, p_account.base_currency,
                            app.max_balance(), p_account.base_currency
                        );
                    elsif p_order.side = 'sell' and p_account.cash + v_notional - v_fees > app.max_balance() then
                        v_reason := pg_catalog.format(
                            'the fill of %s %s at %s would bring the cash of account %s to %s, above the limit of %s',
                            v_quantity, p_security.symbol, v_price, p_account.id, p_account.cash + v_notional - v_fees,
                            app.max_balance()
                        );
                    elsif (
                        pg_catalog.sign(coalesce(p_position.quantity, 0))
                        = (case p_order.side when 'buy' then 1 else -1 end)
                        and pg_catalog.abs(p_position.cost_basis) + v_notional + v_fees > app.max_balance()
                    ) then
                        v_reason := pg_catalog.format(
                            'the fill of %s %s at %s would take the position''s cost basis to %s %s, '
                            'above the limit of %s %s',
                            v_quantity, p_security.symbol, v_price, pg_catalog.abs(p_position.cost_basis) + v_notional
                            + v_fees, p_account.base_currency, app.max_balance(), p_account.base_currency
                        );
                    end if;
                    if v_reason is not null then
                        v_order := trading.save_order(v_order, p_insert);
                        return trading.cancel_resting_order(v_order.id, v_reason);
                    end if;
                end if;
                v_filled := trading.apply_fill(
                    v_order, p_insert, p_account, p_position, v_quantity, v_price, v_fx, p_at
                );
                if v_filled.id is null then
                    v_reason := 'insufficient buying power at the fill price';
                elsif v_quantity = v_remaining then
                    return v_filled;
                elsif p_order.time_in_force = 'ioc' then
                    return trading.close_order(v_filled.id, 'canceled', 'ioc: unfilled remainder canceled');
                elsif v_quantity = v_cap then
                    return trading.cancel_resting_order(
                        v_filled.id, trading.through_zero_reason(p_security.symbol, p_position, v_remaining, v_quantity)
                    );
                else
                    return v_filled;
                end if;
            end if;
        elsif v_quantity = v_cap then
            -- Nothing may fill: the whole position is held by other open orders.
            v_order := trading.save_order(v_order, p_insert);
            return trading.cancel_resting_order(
                v_order.id, trading.through_zero_reason(p_security.symbol, p_position, v_remaining, 0)
            );
        elsif p_order.time_in_force in ('ioc', 'fok') then
            v_reason := p_order.time_in_force || ': not enough volume';
        end if;
    elsif p_order.time_in_force in ('ioc', 'fok') then
        v_reason := p_order.time_in_force || ': not marketable at once';
    end if;

    v_order := trading.save_order(v_order, p_insert);
    if v_reason is not null then
        return trading.close_order(v_order.id, 'canceled', v_reason);
    end if;
    return v_order;
end
$$;

comment on function trading.match_order(
    trading.orders, boolean, trading.accounts, market.securities, trading.positions, numeric, numeric, numeric,
    numeric, numeric, numeric, numeric, timestamptz
) is
'Matches an open order (its current row, or with p_insert a new order not yet stored; the caller holds the account '
'lock and passes the account and position rows) against a bar: open/high/low/last, bid/ask for market orders, '
'volume. Fills what the §5 model allows (a resting order that would take its position through zero, or into units '
'other open orders hold, fills to what trading.closing_cap allows and the rest is canceled with a reason), '
'triggers stops, cancels ioc/fok '
'leftovers and orders that can no longer be paid for or converted, and cancels a resting order whose fill would '
'exceed the limits (notional plus fees, cash or cost basis above app.max_balance()) with that reason. Returns the '
'order as stored afterwards.';
