-- The largest number of units tradebase accepts in one order, and the largest position an order may
-- take an account to (docs/trading.md, "Limits"). The smallest quantity is app.quantity's last
-- decimal, 0.0000000001. A split of up to 1,000,000-for-1 then takes a position to at most 10^17
-- units, inside app.quantity (below 10^18).
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and inlined a
-- constant costs nothing on the order path; the body names nothing.
create or replace function app.max_quantity()
returns numeric
language sql
immutable
parallel safe
as $$
    select 100000000000::numeric
$$;

comment on function app.max_quantity() is
'The largest order, and the largest position an order may open: 10^11 units (docs/trading.md, Limits).';
