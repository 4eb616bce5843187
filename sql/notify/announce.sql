-- Sends one notification on the tradebase_events channel. NOTIFY takes a database-wide lock at
-- commit, so the hot trade path queues fill events and notify.announce_pending sends them in batches.
-- LISTEN has no privilege check: any login may listen, authenticated or not. So the payload is only
-- the notification's id (a random uuid, opaque to everyone but its owner); listeners read the event
-- through api.notifications after api.authenticate, where RLS shows each user only their own.
create or replace function notify.announce(p_notification notify.notifications)
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.pg_notify('tradebase_events', p_notification.id::text);
    update notify.notifications as n set announced_at = pg_catalog.now() where n.id = p_notification.id;
$$;

comment on function notify.announce(notify.notifications) is
'Sends a notification''s id, and nothing else, on the tradebase_events channel (delivered at commit) and stamps '
'announced_at; the content is read through api.notifications (RLS).';
