-- Undo 0410: the four checks in the form 0350 gave them.
set local role tradebase_owner;

alter table trading.positions
drop constraint positions_flat_has_no_cost_ck,
add constraint positions_flat_has_no_cost_ck check (quantity <> 0 or cost_basis = 0);

alter table trading.lots
drop constraint lots_open_within_quantity_ck,
drop constraint lots_closed_when_empty_ck,
drop constraint lots_empty_has_no_cost_ck,
add constraint lots_open_within_quantity_ck check (
    sign(open_quantity) in (0, sign(quantity)) and abs(open_quantity) <= abs(quantity)
),
add constraint lots_closed_when_empty_ck check ((open_quantity = 0) = (closed_at is not null)),
add constraint lots_empty_has_no_cost_ck check (open_quantity <> 0 or cost_basis = 0);
