-- Undo 0350: the order book tables and their error codes. Cascade drops the sql/ objects built on
-- them (views, functions returning trading.orders); migrate re-creates those when re-applied.
set local role tradebase_owner;

drop table trading.lot_closures cascade;
drop table trading.lots cascade;
drop table trading.positions cascade;
drop table trading.fills cascade;
drop table trading.orders cascade;
drop table trading.order_transitions cascade;
delete from app.error_codes
where sqlstate in ('TB060', 'TB061', 'TB062');
drop domain trading.client_order_id;
drop domain trading.order_status;
drop domain trading.time_in_force;
drop domain trading.order_type;
drop domain trading.order_side;
drop domain app.positive_price;
drop domain app.nonzero_quantity;
drop domain app.nonnegative_quantity;
drop domain app.positive_quantity;
