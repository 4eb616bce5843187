-- Announces queued events oldest first, in one transaction (one notify lock for the batch).
-- Concurrent runs skip each other's rows.
-- depends: notify/announce.sql
create or replace function notify.announce_pending(p_limit integer default 10000)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_notification notify.notifications;
    v_count integer := 0;
begin
    for v_notification in
        select * from notify.notifications as n
        where n.announced_at is null
        order by n.created_at
        limit p_limit
        for update skip locked
    loop
        perform notify.announce(v_notification);
        v_count := v_count + 1;
    end loop;
    return v_count;
end
$$;

comment on function notify.announce_pending(integer) is
'Sends up to p_limit queued notifications on tradebase_events, oldest first; returns how many. Run by '
'api.announce_events (a scheduler, every second or so) and after api.record_price fills resting orders.';
