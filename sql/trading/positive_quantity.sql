-- A number of units an app passes in: from 0.0000000001 to app.max_quantity() with at most 10
-- decimals, else a 22023 naming the argument (docs/trading.md, "Limits").
-- depends: trading/checked_number.sql
-- No set search_path: a SET clause keeps the planner from inlining a SQL function (inlined, its caller
-- calls trading.checked_number directly); every name in the body is schema-qualified.
create or replace function trading.positive_quantity(p_quantity numeric, p_argument text)
returns app.quantity
language sql
immutable
as $$
    select trading.checked_number(p_quantity, p_argument, 0.0000000001, app.max_quantity(), 10)::app.quantity
$$;

comment on function trading.positive_quantity(numeric, text) is
'p_quantity as app.quantity when it is finite, from 0.0000000001 to app.max_quantity() (10^11) with at most 10 '
'decimals; 22023 naming p_argument otherwise.';
