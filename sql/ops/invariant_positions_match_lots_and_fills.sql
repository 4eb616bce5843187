-- §5: each position equals the sum of its open lots and of its fills plus split adjustments (quantity),
-- its cost basis the sum of its open lots' cost basis; each order's filled quantity the sum of its fills.
create or replace function ops.invariant_positions_match_lots_and_fills()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'position %s/%s holds %s at cost %s; open lots hold %s at cost %s; fills sum to %s',
        p.account_id, p.security_id, p.quantity, p.cost_basis,
        coalesce(l.quantity, 0), coalesce(l.cost_basis, 0), coalesce(f.quantity, 0)
    )
    from trading.positions as p
    left join (
        select lo.account_id, lo.security_id, sum(lo.open_quantity) as quantity, sum(lo.cost_basis) as cost_basis
        from trading.lots as lo
        where lo.open_quantity <> 0
        group by lo.account_id, lo.security_id
    ) as l on p.account_id = l.account_id and p.security_id = l.security_id
    left join (
        select u.account_id, u.security_id, sum(u.quantity) as quantity
        from (
            select fi.account_id, fi.security_id, case fi.side when 'buy' then fi.quantity else -fi.quantity end as quantity
            from trading.fills as fi
            union all
            select j.account_id, j.security_id, j.quantity
            from trading.position_adjustments as j
        ) as u
        group by u.account_id, u.security_id
    ) as f on p.account_id = f.account_id and p.security_id = f.security_id
    where
        p.quantity <> coalesce(l.quantity, 0)
        or p.cost_basis <> coalesce(l.cost_basis, 0)
        or p.quantity <> coalesce(f.quantity, 0)
    union all
    select pg_catalog.format('fills of %s/%s have no position row', f.account_id, f.security_id)
    from (select distinct fi.account_id, fi.security_id from trading.fills as fi) as f
    where not exists (
        select from trading.positions as p where p.account_id = f.account_id and p.security_id = f.security_id
    )
    union all
    select pg_catalog.format('order %s has filled %s but its fills sum to %s', o.id, o.filled_quantity, coalesce(f.quantity, 0))
    from trading.orders as o
    left join (
        select fi.order_id, sum(fi.quantity) as quantity from trading.fills as fi group by fi.order_id
    ) as f on o.id = f.order_id
    where o.filled_quantity <> coalesce(f.quantity, 0)
$$;

comment on function ops.invariant_positions_match_lots_and_fills() is
'Positions whose quantity or cost basis differ from their open lots, or whose quantity differs from their fills plus corporate-action adjustments; '
'fills without a position; orders whose filled quantity differs from their fills.';
