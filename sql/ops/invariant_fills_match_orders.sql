-- Fills copy their order's account, security and side (for per-account queries without a join);
-- only the fill -> order foreign key is declared (migration 0350_orders), so this checks the copies.
create or replace function ops.invariant_fills_match_orders()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'fill %s says %s %s/%s, its order %s is %s %s/%s',
        f.id, f.side, f.account_id, f.security_id, o.id, o.side, o.account_id, o.security_id
    )
    from trading.fills as f
    join trading.orders as o on o.id = f.order_id
    where (f.account_id, f.security_id, f.side::text) is distinct from (o.account_id, o.security_id, o.side::text)
$$;

comment on function ops.invariant_fills_match_orders() is
'Fills whose account, security or side differ from their order''s.';
