-- §5: reserved cash and quantity equal what open orders hold.
create or replace function ops.invariant_reservations_match_open_orders()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format('account %s reserves %s but its open orders hold %s', a.id, a.reserved_cash, coalesce(o.held, 0))
    from trading.accounts as a
    left join (
        select oo.account_id, sum(oo.reserved_cash) as held
        from trading.orders as oo
        where oo.status in ('new', 'partially_filled')
        group by oo.account_id
    ) as o on a.id = o.account_id
    where a.reserved_cash <> coalesce(o.held, 0)
    union all
    select pg_catalog.format(
        'position %s/%s reserves %s units but its open orders hold %s', p.account_id, p.security_id,
        p.reserved_quantity, coalesce(o.held, 0)
    )
    from trading.positions as p
    left join (
        select oo.account_id, oo.security_id, sum(oo.reserved_quantity) as held
        from trading.orders as oo
        where oo.status in ('new', 'partially_filled')
        group by oo.account_id, oo.security_id
    ) as o on p.account_id = o.account_id and p.security_id = o.security_id
    where p.reserved_quantity <> coalesce(o.held, 0)
    union all
    select pg_catalog.format('open orders of %s/%s reserve %s units without a position', o.account_id, o.security_id, o.held)
    from (
        select oo.account_id, oo.security_id, sum(oo.reserved_quantity) as held
        from trading.orders as oo
        where oo.status in ('new', 'partially_filled') and oo.reserved_quantity <> 0
        group by oo.account_id, oo.security_id
    ) as o
    where not exists (
        select from trading.positions as p where p.account_id = o.account_id and p.security_id = o.security_id
    )
$$;

comment on function ops.invariant_reservations_match_open_orders() is
'Accounts whose reserved_cash, and positions whose reserved_quantity, differ from what their open orders hold.';
