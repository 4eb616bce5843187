-- One day order at the end of its UTC day: expired, its reservations released, an event for its owner, unless it filled or was
-- canceled in the meantime. The unit api.expire_orders sets aside when one order's data fails. The
-- caller holds the account's row lock.
-- depends: trading/end_order.sql
create or replace function trading.expire_order(p_order_id uuid)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
begin
    if not exists (
        select from trading.orders as o where o.id = p_order_id and o.status in ('new', 'partially_filled')
    ) then
        return 0;
    end if;
    perform trading.end_order(p_order_id, 'expired', 'day order expired at the end of its UTC day');
    return 1;
end
$$;

comment on function trading.expire_order(uuid) is
'Expires one open order (releasing its reservations) and writes an order_expired event (notify.events) for its '
'owner; 1 when it did, 0 when the order is no longer open. '
'The caller holds the account lock.';
