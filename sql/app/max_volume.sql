-- The largest volume a tick or bar may carry (docs/trading.md, "Limits"): api.record_price and the bar
-- import both hold to it, so a volume-participation fill (volume x share) stays inside app.quantity.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function; the body names nothing.
create or replace function app.max_volume()
returns numeric
language sql
immutable
parallel safe
as $$
    select 100000000000000000::numeric
$$;

comment on function app.max_volume() is
'The largest volume of a tick or bar: 10^17 units, with at most 10 decimals (docs/trading.md, Limits).';
