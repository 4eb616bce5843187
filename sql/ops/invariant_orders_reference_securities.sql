-- Orders carry their security's id without a foreign key (migration 0350_orders: a key-share lock per order
-- on the security's row made concurrent orders in one symbol serialise), so this checks it.
create or replace function ops.invariant_orders_reference_securities()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format('order %s names security %s, which does not exist', o.id, o.security_id)
    from trading.orders as o
    where not exists (select from market.securities as s where s.id = o.security_id)
$$;

comment on function ops.invariant_orders_reference_securities() is
'Orders whose security_id names no row of market.securities.';
