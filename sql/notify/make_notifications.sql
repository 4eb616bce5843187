create or replace function notify.make_notifications(p_events notify.events[])
returns void
language sql
volatile
set search_path = ''
as $$
    insert into notify.notifications (user_id, kind, level, title, message, data, created_at, event_id)
    select e.user_id, e.kind, e.level, e.title, e.message, e.data, e.created_at, e.id
    from pg_catalog.unnest(p_events) as e
    order by e.xid, e.id;
$$;

comment on function notify.make_notifications(notify.events[]) is
'Handler of the notifications consumer: one notify.notifications row per event, for the event''s user '
'(notifications_event_uk: at most one per event).';
