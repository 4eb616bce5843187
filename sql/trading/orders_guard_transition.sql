-- The order state machine: an order is born new or rejected, or, when it executes (or is canceled) at
-- once, in the state that first match leaves it; it then moves only along trading.order_transitions,
-- and never changes again once terminal.
create or replace function trading.orders_guard_transition()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        if new.status = 'expired' then
            perform app.raise_error(
                'TB062', pg_catalog.format('order %s cannot be created with status %s', new.id, new.status),
                'Orders start as new, rejected, or as their first match leaves them.'
            );
        end if;
        if new.status not in ('new', 'partially_filled') then
            new.closed_at := pg_catalog.now();
        end if;
        return new;
    end if;

    if old.status not in ('new', 'partially_filled') then
        perform app.raise_error(
            'TB062', pg_catalog.format('order %s is %s, a terminal status, and cannot change', old.id, old.status),
            'Place a new order instead.'
        );
    end if;
    if new.status is distinct from old.status then
        if not exists (
            select from trading.order_transitions as t
            where t.from_status = old.status and t.to_status = new.status
        ) then
            perform app.raise_error(
                'TB062', pg_catalog.format('order %s cannot go from %s to %s', old.id, old.status, new.status),
                'See trading.order_transitions for the legal changes.'
            );
        end if;
        if new.status not in ('new', 'partially_filled') then
            new.closed_at := pg_catalog.now();
        end if;
    end if;
    new.updated_at := pg_catalog.now();
    return new;
end
$$;

comment on function trading.orders_guard_transition() is
'Trigger: enforces trading.order_transitions, keeps terminal orders immutable, stamps updated_at and closed_at.';

create or replace trigger orders_guard_transition
before insert or update on trading.orders
for each row execute function trading.orders_guard_transition();
