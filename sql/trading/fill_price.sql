-- The §5 fill model, one rule for ticks and bars (a tick is a bar with open = high = low = close).
-- Pure, so pgTAP checks each order type against hand-computed prices without any table.
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.fill_price(
    p_side text,
    p_order_type text,
    p_limit_price numeric,
    p_stop_price numeric,
    p_stop_triggered boolean,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_reference numeric,
    p_slippage_bps numeric
)
returns numeric
language plpgsql
immutable
parallel safe
as $$
declare
    v_buy constant boolean := p_side = 'buy';
    -- Slippage moves a price against the trader.
    v_slip constant numeric := case when v_buy then 1 else -1 end * coalesce(p_slippage_bps, 0) / 10000;
    v_trigger numeric;
begin
    if p_order_type = 'market' then
        return pg_catalog.round(p_reference * (1 + v_slip), 8);
    end if;

    if p_order_type = 'limit' then
        if v_buy and p_low <= p_limit_price then
            return least(p_open, p_limit_price);
        elsif not v_buy and p_high >= p_limit_price then
            return greatest(p_open, p_limit_price);
        end if;
        return null;
    end if;

    -- Stops: the price at which the stop is reached in this bar (the open when it gaps through, or
    -- when it was reached on an earlier bar); null while it is not reached.
    if p_stop_triggered then
        v_trigger := p_open;
    elsif v_buy and p_high >= p_stop_price then
        v_trigger := greatest(p_open, p_stop_price);
    elsif not v_buy and p_low <= p_stop_price then
        v_trigger := least(p_open, p_stop_price);
    else
        return null;
    end if;

    if p_order_type = 'stop' then
        return pg_catalog.round(v_trigger * (1 + v_slip), 8);
    end if;

    -- stop_limit: a limit order from the trigger on.
    if v_buy and p_low <= p_limit_price then
        return least(v_trigger, p_limit_price);
    elsif not v_buy and p_high >= p_limit_price then
        return greatest(v_trigger, p_limit_price);
    end if;
    return null;
end
$$;

comment on function trading.fill_price(text, text, numeric, numeric, boolean, numeric, numeric, numeric, numeric, numeric) is
'Execution price of an order on a bar (open/high/low) under the §5 fill model, or null when it does not fill. '
'p_reference is the market order''s reference (ask for buys, bid for sells, else last or the bar''s open); '
'p_stop_triggered says the stop was reached on an earlier bar.';
