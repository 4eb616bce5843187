-- Orders name their actor without a foreign key (migration 0560_actors: a key-share lock per order on one
-- app.system_actors row would serialise the orders of every account), so this checks it.
create or replace function ops.invariant_orders_name_known_actors()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format('order %s was placed by %s, who is neither a person nor a system actor', o.id, o.placed_by)
    from trading.orders as o
    where
        o.placed_by not in ('owner', 'support')
        and not exists (select from app.system_actors as s where s.name = o.placed_by)
$$;

comment on function ops.invariant_orders_name_known_actors() is
'Orders whose placed_by is neither owner, support nor a row of app.system_actors.';
