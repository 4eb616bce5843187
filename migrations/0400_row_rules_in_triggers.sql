-- The trade path writes an order, a lot, a position and the account's cash on every fill, and
-- PostgreSQL re-reads, plans and compiles every CHECK constraint of a table for each INSERT or UPDATE
-- statement (migration 0380). Counted with callgrind, of 3.2 million instructions per market order
-- the lot's three rules took 184,000, the position's two 77,000, the account's four 112,000. So:
-- 1. the rules of lots and positions that tie several columns together move into row triggers
--    (trading.lots_guard_rules, trading.positions_guard_rules): a PL/pgSQL trigger compiles its
--    expressions once per transaction and costs a fraction of the checks; the rules keep their names
--    and raise 23514 as before;
-- 2. the account's shape rules (owner, purpose, default: what only an administrator changes) move
--    into a trigger that fires only when those columns change (trading.accounts_guard_shape); the
--    cash rule, which a cash movement could break, stays a check;
-- 3. orders lose the foreign key to market.securities: every order key-share locked its security's
--    row, so concurrent orders in one symbol made a MultiXact each (11,175 for 11,859 orders in a
--    bench run) and serialised on that row; and its index, into whose one leaf every order of a
--    symbol went. The order engine takes the id from the security it has just read;
--    ops.invariant_orders_reference_securities checks it, and trading.orders_resting_ix still
--    serves the matching by security.
-- depends: 0390_fill_settlement_writer
set local role tradebase_owner;

alter table trading.lots
drop constraint lots_open_within_quantity_ck,
drop constraint lots_closed_when_empty_ck,
drop constraint lots_empty_has_no_cost_ck;

alter table trading.positions
drop constraint positions_reserved_within_quantity_ck,
drop constraint positions_flat_has_no_cost_ck;

alter table trading.accounts
drop constraint accounts_owner_unless_system_ck,
drop constraint accounts_system_purpose_only_for_system_ck,
drop constraint accounts_system_never_default_ck;

alter table trading.orders drop constraint orders_security_fk;
drop index trading.orders_security_ix;

comment on table trading.lots is
'Tax lots: each opening fill opens one; closing fills consume them oldest first (FIFO, or at average cost). '
'Row rules (open within quantity, closed when empty, no cost when empty): trigger trading.lots_guard_rules.';
comment on table trading.positions is
'What an account holds per security: the sum of its open lots. The row stays when flat to keep realized P&L. '
'Row rules (reserved within quantity, no cost when flat): trigger trading.positions_guard_rules.';
comment on column trading.accounts.kind is
'paper | live | fund | system. A system account has a purpose, no owner, no cash and is never a default '
'(trigger trading.accounts_guard_shape; the cash rule is accounts_cash_only_for_user_accounts_ck).';
comment on column trading.orders.security_id is
'The security ordered. No foreign key (a key-share lock per order on one hot row): the order engine takes it '
'from the security it reads, and ops.invariant_orders_reference_securities checks it.';
