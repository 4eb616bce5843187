-- The wakeups consumer (notify.send_wakeups) replaces notify.announce.
drop function if exists notify.announce(notify.notifications);
create or replace function notify.wake_worker()
returns void
language sql
volatile
set search_path = ''
as $$
    select pg_catalog.pg_notify('tradebase_outbox', '');
$$;

comment on function notify.wake_worker() is
'Wakes tradebase worker at commit: an empty NOTIFY on tradebase_outbox (no payload, DESIGN §3). The worker also '
'polls, so a writer that does not call it (the fill path) is consumed within a poll interval.';
