-- Events (§5): a notification row for the user, announced on the tradebase_events channel now
-- (p_announce) or queued for notify.announce_pending (the fill path, where a NOTIFY per trade would
-- serialise every commit on the database-wide notify lock).
-- depends: notify/announce.sql
drop function if exists notify.publish(uuid, text, text, text, text, jsonb);
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function notify.publish(
    p_user_id uuid,
    p_kind text,
    p_level text,
    p_title text,
    p_message text,
    p_data jsonb,
    p_announce boolean default true
)
returns uuid
language plpgsql
volatile
as $$
declare
    v_notification notify.notifications;
begin
    insert into notify.notifications (user_id, kind, level, title, message, data)
    values (p_user_id, p_kind, p_level, p_title, p_message, coalesce(p_data, '{}'))
    returning * into v_notification;
    if p_announce then
        perform notify.announce(v_notification);
    end if;
    return v_notification.id;
end
$$;

comment on function notify.publish(uuid, text, text, text, text, jsonb, boolean) is
'Writes a notification for a user and announces it on tradebase_events at commit, or (p_announce false) leaves '
'it for notify.announce_pending.';
