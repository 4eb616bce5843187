create or replace view api.orders with (security_invoker = true) as
select
    o.id,
    o.account_id,
    o.client_order_id,
    s.symbol,
    o.side,
    o.order_type,
    o.time_in_force,
    o.status,
    o.quantity,
    o.limit_price,
    o.stop_price,
    o.stop_triggered,
    o.filled_quantity,
    o.quantity - o.filled_quantity as remaining_quantity,
    o.average_fill_price,
    o.fees,
    o.reserved_cash,
    o.reserved_quantity,
    o.reject_reason,
    o.cancel_reason,
    o.strategy_id,
    o.bot_id,
    o.expires_at,
    o.created_at,
    o.updated_at,
    o.closed_at,
    o.placed_by,
    o.source,
    o.cause_id
from trading.orders as o
inner join market.securities as s on o.security_id = s.id;

comment on view api.orders is
'Your orders with their fill state, fees, what they reserve, and why they were rejected, canceled or expired.';
