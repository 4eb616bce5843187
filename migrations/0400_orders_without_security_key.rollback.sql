-- Undo 0400: orders reference their security by foreign key again.
set local role tradebase_owner;

alter table trading.orders
add constraint orders_security_fk foreign key (security_id) references market.securities (id);
create index orders_security_ix on trading.orders (security_id);
comment on column trading.orders.security_id is null;
