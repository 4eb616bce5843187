-- LISTEN has no privilege check (DESIGN §3): the payload is the notification's id and nothing else.
create or replace function notify.send_wakeups(p_events notify.events[])
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.pg_notify('tradebase_events', n.id::text)
    from notify.notifications as n
    where n.event_id = any(array(select e.id from pg_catalog.unnest(p_events) as e))
    order by n.event_id;
    update notify.notifications as n
    set announced_at = pg_catalog.now()
    where n.event_id = any(array(select e.id from pg_catalog.unnest(p_events) as e));
$$;

comment on function notify.send_wakeups(notify.events[]) is
'Handler of the wakeups consumer (after notifications): sends each event''s notification id on tradebase_events '
'(delivered at commit, one notify lock per batch) and stamps announced_at.';
