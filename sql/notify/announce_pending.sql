-- What tradebase worker does continuously, once and inline: the notifications consumer, then the
-- wakeups consumer (which announces what the first made). For a scheduler without the worker.
-- depends: notify/consume.sql
create or replace function notify.announce_pending(p_limit integer default 10000)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform notify.consume('notifications', p_limit);
    return notify.consume('wakeups', p_limit);
end
$$;

comment on function notify.announce_pending(integer) is
'Runs one batch (up to p_limit events) of the notifications consumer and then of the wakeups consumer, as '
'tradebase worker does; returns how many events were announced on tradebase_events. 22023 for a bad limit.';
