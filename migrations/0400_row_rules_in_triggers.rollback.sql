-- Undo 0400: the row rules are check constraints again, orders reference securities by foreign key.
-- The triggers that held the rules go with it (a trigger with a column list would also block an older
-- rollback from changing those columns' types); their functions are sql/ objects and stay.
set local role tradebase_owner;

drop trigger if exists lots_guard_rules on trading.lots;
drop trigger if exists positions_guard_rules on trading.positions;
drop trigger if exists accounts_guard_shape on trading.accounts;

alter table trading.lots
add constraint lots_open_within_quantity_ck check (
    sign(open_quantity) in (0, sign(quantity)) and abs(open_quantity) <= abs(quantity)
),
add constraint lots_closed_when_empty_ck check ((open_quantity = 0) = (closed_at is not null)),
add constraint lots_empty_has_no_cost_ck check (open_quantity <> 0 or cost_basis = 0);

alter table trading.positions
add constraint positions_reserved_within_quantity_ck check (reserved_quantity <= abs(quantity)),
add constraint positions_flat_has_no_cost_ck check (quantity <> 0 or cost_basis = 0);

alter table trading.accounts
add constraint accounts_owner_unless_system_ck check ((kind = 'system') = (user_id is null)),
add constraint accounts_system_purpose_only_for_system_ck check ((kind = 'system') = (system_purpose is not null)),
add constraint accounts_system_never_default_ck check (not (is_default and kind = 'system'));

alter table trading.orders
add constraint orders_security_fk foreign key (security_id) references market.securities (id);
create index orders_security_ix on trading.orders (security_id);

comment on table trading.lots is
'Tax lots: each opening fill opens one; closing fills consume them oldest first (FIFO, or at average cost).';
comment on table trading.positions is
'What an account holds per security: the sum of its open lots. The row stays when flat to keep realized P&L.';
comment on column trading.accounts.kind is 'paper | live | fund | system.';
comment on column trading.orders.security_id is null;
