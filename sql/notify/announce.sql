-- Sends one notification on the tradebase_events channel. NOTIFY takes a database-wide lock at
-- commit, so the hot trade path queues fill events and notify.announce_pending sends them in batches.
create or replace function notify.announce(p_notification notify.notifications)
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.pg_notify(
        'tradebase_events',
        pg_catalog.jsonb_build_object(
            'notification_id', p_notification.id, 'user_id', p_notification.user_id, 'kind', p_notification.kind,
            'level', p_notification.level, 'title', p_notification.title, 'data', p_notification.data,
            'created_at', p_notification.created_at
        )::text
    );
    update notify.notifications as n set announced_at = pg_catalog.now() where n.id = p_notification.id;
$$;

comment on function notify.announce(notify.notifications) is
'Sends a notification as JSON on the tradebase_events channel (delivered at commit) and stamps announced_at.';
