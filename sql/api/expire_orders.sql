-- Housekeeping (operators, a scheduler): day orders end with the UTC day they were placed in.
create or replace function api.expire_orders(p_as_of timestamptz default pg_catalog.now())
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order_ids uuid [];
    v_order_id uuid;
    v_expired integer := 0;
begin
    if not app.is_admin() then
        perform app.raise_error('42501', 'only an administrator or the scheduler may expire orders');
    end if;
    if p_as_of is null or not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', pg_catalog.format('p_as_of %s is not a point in time', p_as_of));
    end if;

    select pg_catalog.array_agg(o.id) into v_order_ids
    from trading.orders as o
    where o.status in ('new', 'partially_filled') and o.expires_at <= p_as_of;
    if v_order_ids is null then
        return 0;
    end if;
    perform from trading.accounts as a
    where a.id in (select o.account_id from trading.orders as o where o.id = any(v_order_ids))
    order by a.id
    for update;

    foreach v_order_id in array v_order_ids loop
        -- Skip an order that filled or was canceled while this waited for the account locks.
        if exists (
            select from trading.orders as o where o.id = v_order_id and o.status in ('new', 'partially_filled')
        ) then
            perform trading.close_order(v_order_id, 'expired', 'day order expired at the end of its UTC day');
            v_expired := v_expired + 1;
        end if;
    end loop;
    return v_expired;
end
$$;

comment on function api.expire_orders(timestamptz) is
'Admin or scheduler: expires every open day order whose UTC day ended at or before p_as_of, releasing its '
'reservations; returns how many expired. 42501 for other callers, 22023 for a bad p_as_of.';
