-- The engine ends a resting order on its own (not at the owner's request): the order is canceled with
-- the reason and an order_canceled event for its owner goes to the outbox (notify.events), like a
-- fill's. The caller holds the account's row lock.
-- depends: trading/end_order.sql
create or replace function trading.cancel_resting_order(p_order_id uuid, p_reason text)
returns trading.orders
language plpgsql
volatile
set search_path = ''
as $$
begin
    return trading.end_order(p_order_id, 'canceled', p_reason);
end
$$;

comment on function trading.cancel_resting_order(uuid, text) is
'Cancels an open order the engine can no longer carry (the rest of a fill that would go through zero, an order '
'set aside by the matcher) with p_reason, releasing its reservations, and writes an order_canceled event '
'(notify.events) for its owner. The caller holds the account lock. Returns the order as stored.';
