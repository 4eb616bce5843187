-- Housekeeping (operators): day orders end with the UTC day they were placed in. The scheduler runs the
-- same work as the expire_orders job (ops.jobs), without a session of an administrator.
-- depends: trading/expire_day_orders.sql
create or replace function api.expire_orders(p_as_of timestamptz default pg_catalog.now())
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', 'only an administrator or the scheduler may expire orders');
    end if;
    return trading.expire_day_orders(p_as_of);
end
$$;

comment on function api.expire_orders(timestamptz) is
'Admin or scheduler: expires every open day order whose UTC day ended at or before p_as_of, releasing its '
'reservations; returns how many expired. An order whose data fails (a data exception or check violation) is set '
'aside (canceled with the reason, an alert) and the others expire. 42501 for other callers, 22023 for a bad p_as_of.';
