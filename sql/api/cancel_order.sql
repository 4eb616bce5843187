-- Cancels an open order of the acting user and releases what it reserves.
-- depends: api/orders.sql
-- It returned a table's row type before (issue 14 §5); create or replace cannot change that, so the old
-- one is dropped, once (grants.sql grants it again).
do $$
begin
    if exists (
        select from pg_catalog.pg_proc as p
        where
            p.oid = pg_catalog.to_regprocedure('api.cancel_order(uuid)')
            and p.prorettype <> 'api.orders'::pg_catalog.regtype
    ) then
        drop function api.cancel_order(uuid);
    end if;
end
$$;
create or replace function api.cancel_order(p_order_id uuid)
returns api.orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order trading.orders;
    v_result api.orders;
begin
    perform auth.require_scope('trade');
    if p_order_id is null then
        perform app.raise_error('22023', 'p_order_id is required');
    end if;
    select o.account_id into v_order.account_id from trading.orders as o where o.id = p_order_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('order %s does not exist', p_order_id));
    end if;
    -- The account lock orders this against fills and other changes of the same account.
    perform trading.authorized_account(v_order.account_id, true);
    select * into strict v_order from trading.orders as o where o.id = p_order_id;
    if v_order.status not in ('new', 'partially_filled') then
        perform app.raise_error(
            'TB061', pg_catalog.format('order %s is %s and cannot be canceled', p_order_id, v_order.status)
        );
    end if;
    perform trading.close_order(p_order_id, 'canceled', 'canceled by the user');
    -- The row of api.orders, read by column name: not the table's storage type (DESIGN §4).
    select o.* into strict v_result from api.orders as o where o.id = p_order_id;
    return v_result;
end
$$;

comment on function api.cancel_order(uuid) is
'Cancels an open order of the acting user, releasing its reserved cash and quantity; returns the order. '
'22023 without an id, P0002 unknown order, 42501 another user''s order, TB061 when it is no longer open.';
