-- The order state machine: an order is born new or rejected, or, when it executes (or is canceled) at
-- once, in the state that first match leaves it; it then moves only along trading.order_transitions,
-- and never changes again once terminal. It also holds the rules that tie the status to the other
-- columns, and who placed the order and why (trading.place_order: people place manual orders without
-- a cause, system actors the others, and none of it changes): as CHECK constraints PostgreSQL would re-read and compile them for every write of an
-- order (see migration 0350_orders), while this trigger runs on every write anyway.
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.orders_guard_transition()
returns trigger
language plpgsql
volatile
as $$
declare
    v_open constant boolean := new.status in ('new', 'partially_filled');
    v_broken text;
begin
    if tg_op = 'INSERT' then
        if new.status = 'expired' then
            perform app.raise_error(
                'TB062', pg_catalog.format('order %s cannot be created with status %s', new.id, new.status),
                'Orders start as new, rejected, or as their first match leaves them.'
            );
        end if;
    else
        if old.status not in ('new', 'partially_filled') then
            perform app.raise_error(
                'TB062', pg_catalog.format('order %s is %s, a terminal status, and cannot change', old.id, old.status),
                'Place a new order instead.'
            );
        end if;
        if (new.placed_by, new.source, new.cause_id) is distinct from (old.placed_by, old.source, old.cause_id) then
            perform app.raise_error(
                '23514', pg_catalog.format('order %s: who placed it and why never change', old.id),
                'placed_by, source and cause_id are written when the order is placed.'
            );
        end if;
        if new.status is distinct from old.status and not exists (
            select from trading.order_transitions as t
            where t.from_status = old.status and t.to_status = new.status
        ) then
            perform app.raise_error(
                'TB062', pg_catalog.format('order %s cannot go from %s to %s', old.id, old.status, new.status),
                'See trading.order_transitions for the legal changes.'
            );
        end if;
    end if;

    v_broken := case
        when not case new.status
                when 'new' then new.filled_quantity = 0
                when 'rejected' then new.filled_quantity = 0
                when 'partially_filled' then new.filled_quantity > 0 and new.filled_quantity < new.quantity
                when 'filled' then new.filled_quantity = new.quantity
                else true
            end
            then 'its status must match its filled quantity (orders_status_matches_fills)'
        when (new.filled_quantity > 0) <> (new.average_fill_price is not null)
            then 'it has an average fill price exactly when something filled (orders_average_price_when_filled)'
        when (new.status = 'rejected') <> (new.reject_reason is not null)
            then 'it has a reject reason exactly when rejected (orders_reject_reason_required)'
        when not v_open and (new.reserved_cash <> 0 or new.reserved_quantity <> 0)
            then 'a closed order reserves nothing (orders_reservations_only_while_open)'
        when (new.source = 'manual') <> (new.placed_by in ('owner', 'support'))
            or (new.source = 'manual' and new.cause_id is not null)
            then 'people place manual orders without a cause, system actors copy, auto_invest, strategy or fund '
                || 'orders (orders_placed_by_matches_source)'
    end;
    if v_broken is not null then
        perform app.raise_error(
            '23514', pg_catalog.format('order %s (%s, %s of %s filled) breaks a rule: %s',
                new.id, new.status, new.filled_quantity, new.quantity, v_broken)
        );
    end if;

    new.closed_at := case when v_open then null else pg_catalog.now() end;
    new.updated_at := pg_catalog.now();
    return new;
end
$$;

comment on function trading.orders_guard_transition() is
'Trigger: enforces trading.order_transitions and the status rules (filled quantity, average price, reject reason, '
'no reservations once closed; 23514), the placement rules (manual orders placed by owner or support without a '
'cause, the others by system actors; placed_by, source and cause_id never change; 23514), keeps '
'terminal orders immutable, stamps updated_at and closed_at.';

create or replace trigger orders_guard_transition
before insert or update on trading.orders
for each row execute function trading.orders_guard_transition();
