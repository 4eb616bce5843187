-- Writes an order row the order engine has worked out in memory: a new order is inserted once, in
-- the state its first match leaves it (filled, partially filled, canceled or resting), so the trade
-- path writes it once instead of inserting and then updating it; an existing order gets its new
-- state (trading.orders_guard_transition checks the status change).
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.save_order(p_order trading.orders, p_insert boolean)
returns trading.orders
language plpgsql
volatile
as $$
declare
    v_order trading.orders := p_order;
begin
    if p_insert then
        insert into trading.orders select (v_order).* returning * into v_order;
    else
        update trading.orders as o
        set
            status = v_order.status,
            stop_triggered = v_order.stop_triggered,
            filled_quantity = v_order.filled_quantity,
            average_fill_price = v_order.average_fill_price,
            fees = v_order.fees,
            reserved_cash = v_order.reserved_cash,
            reserved_quantity = v_order.reserved_quantity,
            cancel_reason = v_order.cancel_reason,
            last_matched_at = v_order.last_matched_at
        where o.id = v_order.id
        returning * into v_order;
    end if;
    return v_order;
end
$$;

comment on function trading.save_order(trading.orders, boolean) is
'Inserts a new order (p_insert, in the state its first match left it) or '
'writes the fill state, reservations, cancel reason and match time of an existing one. Returns the stored row.';
