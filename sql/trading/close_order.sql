-- Ends an open order without further fills: releases what it reserves and sets the terminal
-- status (canceled or expired). The caller holds the account's row lock.
create or replace function trading.close_order(p_order_id uuid, p_status text, p_reason text)
returns trading.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_old trading.orders;
    v_order trading.orders;
begin
    select * into strict v_old from trading.orders as o where o.id = p_order_id for update;

    update trading.orders as o
    set status = p_status, cancel_reason = p_reason, reserved_cash = 0, reserved_quantity = 0
    where o.id = p_order_id
    returning * into v_order;

    if v_old.reserved_cash <> 0 then
        update trading.accounts as a
        set reserved_cash = a.reserved_cash - v_old.reserved_cash
        where a.id = v_old.account_id;
    end if;
    if v_old.reserved_quantity <> 0 then
        update trading.positions as p
        set reserved_quantity = p.reserved_quantity - v_old.reserved_quantity
        where p.account_id = v_old.account_id and p.security_id = v_old.security_id;
    end if;
    return v_order;
end
$$;

comment on function trading.close_order(uuid, text, text) is
'Ends an open order (canceled or expired) with a reason and releases its reserved cash and quantity; '
'the caller holds the account lock.';
