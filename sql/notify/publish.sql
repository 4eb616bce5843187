-- Events (§5): a notification row for the user and the same payload on the tradebase_events channel.
-- pg_notify is transactional: listeners hear only events of committed work.
create or replace function notify.publish(
    p_user_id uuid,
    p_kind text,
    p_level text,
    p_title text,
    p_message text,
    p_data jsonb
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_id uuid;
begin
    insert into notify.notifications (user_id, kind, level, title, message, data)
    values (p_user_id, p_kind, p_level, p_title, p_message, coalesce(p_data, '{}'))
    returning id into v_id;
    perform pg_catalog.pg_notify(
        'tradebase_events',
        pg_catalog.jsonb_build_object(
            'notification_id', v_id, 'user_id', p_user_id, 'kind', p_kind, 'level', p_level, 'title', p_title,
            'data', coalesce(p_data, '{}')
        )::text
    );
    return v_id;
end
$$;

comment on function notify.publish(uuid, text, text, text, text, jsonb) is
'Writes a notification for a user and sends it as JSON on the tradebase_events channel (delivered at commit).';
