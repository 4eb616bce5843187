-- The engine ends an open order on its own, not at the owner's request (a resting order it can no longer
-- carry, a day order at the end of its day): trading.close_order, then an event for its owner in the
-- outbox (notify.events), like a fill's: order_canceled (warning) or order_expired (info), with the reason.
-- The caller holds the account's row lock.
-- depends: trading/close_order.sql
create or replace function trading.end_order(p_order_id uuid, p_status text, p_reason text)
returns trading.orders
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order trading.orders;
begin
    v_order := trading.close_order(p_order_id, p_status, p_reason);
    insert into notify.events (user_id, kind, level, title, message, data)
    select
        a.user_id,
        case p_status when 'canceled' then 'order_canceled' when 'expired' then 'order_expired' end,
        case p_status when 'canceled' then 'warning' when 'expired' then 'info' end,
        case p_status when 'canceled' then 'Order canceled' when 'expired' then 'Order expired' end,
        v_order.cancel_reason,
        pg_catalog.jsonb_build_object(
            'order_id', v_order.id, 'account_id', v_order.account_id, 'filled_quantity', v_order.filled_quantity
        )
    from trading.accounts as a
    where a.id = v_order.account_id;
    return v_order;
end
$$;

comment on function trading.end_order(uuid, text, text) is
'Ends an open order on the engine''s own account with p_status canceled or expired and p_reason, releasing its '
'reservations (trading.close_order), and writes an order_canceled or order_expired event (notify.events) for its '
'owner. The caller holds the account lock. Returns the order as stored.';
