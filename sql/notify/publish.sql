-- Events (§5): one notify.events row, in the caller's transaction; the consumers (notify.consume) make
-- the user's notification and send its id on tradebase_events. p_announce wakes tradebase worker at
-- commit (a NOTIFY on tradebase_outbox, no payload); the fill path writes its event row itself and
-- does not, since a NOTIFY per trade would serialise every commit on the database-wide notify lock.
-- depends: notify/wake_worker.sql
drop function if exists notify.publish(uuid, text, text, text, text, jsonb, boolean);
-- No set search_path: its callers pin search_path = '', every name in it is schema-qualified, and it
-- is not security definer.
create or replace function notify.publish(
    p_user_id uuid,
    p_kind text,
    p_level text,
    p_title text,
    p_message text,
    p_data jsonb,
    p_announce boolean default true
)
returns bigint
language plpgsql
volatile
as $$
declare
    v_event_id bigint;
begin
    insert into notify.events (user_id, kind, level, title, message, data)
    values (p_user_id, p_kind, p_level, p_title, p_message, coalesce(p_data, '{}'))
    returning id into v_event_id;
    if p_announce then
        perform notify.wake_worker();
    end if;
    return v_event_id;
end
$$;

comment on function notify.publish(uuid, text, text, text, text, jsonb, boolean) is
'Writes a domain event to the outbox (notify.events) in the caller''s transaction and returns its id; with '
'p_announce (the default) it also wakes tradebase worker at commit (notify.wake_worker).';
