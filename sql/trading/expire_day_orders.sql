-- Day orders end with the UTC day they were placed in. Called by api.expire_orders (operators) and the
-- expire_orders job (ops.job_expire_orders); no caller check here: only the owner may execute it.
-- depends: trading/expire_order.sql trading/set_aside.sql
create or replace function trading.expire_day_orders(p_as_of timestamptz)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order_ids uuid [];
    v_order_id uuid;
    v_isolate boolean;
    v_state text;
    v_message text;
    v_expired integer := 0;
begin
    -- Not further ahead than auth.clock_skew(): a run dated ahead would end today's day orders early.
    perform trading.checked_time(p_as_of, 'p_as_of');

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

    -- One order's data never fails the expiry for the others (§5): all orders in one subtransaction and,
    -- after a data exception (22xxx) or a check violation (23514), again with one subtransaction per
    -- order; an order that fails there is set aside (canceled with the error as its reason if that
    -- works, an alert either way).
    foreach v_isolate in array array[false, true] loop
        begin
            v_expired := 0;
            foreach v_order_id in array v_order_ids loop
                if not v_isolate then
                    v_expired := v_expired + trading.expire_order(v_order_id);
                    continue;
                end if;
                begin
                    v_expired := v_expired + trading.expire_order(v_order_id);
                exception when data_exception or check_violation then
                    get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
                    perform trading.set_aside('the expiry of day orders', null, v_order_id, v_state, v_message);
                end;
            end loop;
            exit;
        exception when data_exception or check_violation then
            -- The second pass catches these per order; one here means setting an order aside failed.
            if v_isolate then
                raise;
            end if;
        end;
    end loop;
    return v_expired;
end
$$;

comment on function trading.expire_day_orders(timestamptz) is
'Owner only (api.expire_orders, the expire_orders job): expires every open day order whose UTC day ended at or '
'before p_as_of, releasing its reservations; returns how many expired. An order whose data fails is set aside '
'(canceled with the reason, an alert) and the others expire. 22023 for a bad p_as_of.';
