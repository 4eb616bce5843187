-- Orders lose the foreign key to market.securities and its index. The key's check took a key-share
-- lock on the security's row for every order, so concurrent orders in one symbol made a MultiXact
-- each (11,175 for 11,859 orders in a bench run) and serialised on that one row; and every order of
-- a symbol went into one leaf of the index. The order engine takes the id from the security it has
-- just read; ops.invariant_orders_reference_securities checks it, and trading.orders_resting_ix
-- still serves the matching by security.
-- depends: 0390_fill_settlement_writer
set local role tradebase_owner;

alter table trading.orders drop constraint orders_security_fk;
drop index trading.orders_security_ix;

comment on column trading.orders.security_id is
'The security ordered. No foreign key (a key-share lock per order on one hot row): the order engine takes it '
'from the security it reads, and ops.invariant_orders_reference_securities checks it.';
