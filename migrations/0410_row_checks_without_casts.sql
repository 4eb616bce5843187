-- Four lot and position checks, with the same rules and names, written so that their stored form is
-- cheaper: PostgreSQL re-reads every check of a table from its stored text and compiles it for each
-- INSERT or UPDATE statement, and an integer 0 compared with a numeric column is stored as a cast
-- call (re-read, then folded, every time). A numeric 0.0 is stored as a constant; the lot's sign rule
-- is a product. These checks run on every fill (scripts/count_instructions.py: 3,109,226 -> 3,038,545
-- instructions per market order).
-- depends: 0400_orders_without_security_key
set local role tradebase_owner;

alter table trading.positions
drop constraint positions_flat_has_no_cost_ck,
add constraint positions_flat_has_no_cost_ck check (quantity <> 0.0 or cost_basis = 0.0);

alter table trading.lots
drop constraint lots_open_within_quantity_ck,
drop constraint lots_closed_when_empty_ck,
drop constraint lots_empty_has_no_cost_ck,
-- Same sign as the lot (a product of two numbers is negative only when their signs differ), or empty.
add constraint lots_open_within_quantity_ck check (
    open_quantity * quantity >= 0.0 and abs(open_quantity) <= abs(quantity)
),
add constraint lots_closed_when_empty_ck check ((open_quantity = 0.0) = (closed_at is not null)),
add constraint lots_empty_has_no_cost_ck check (open_quantity <> 0.0 or cost_basis = 0.0);
