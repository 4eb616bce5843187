create or replace function api.announce_events(p_limit integer default 10000)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', 'only an administrator or the scheduler may announce events');
    end if;
    if p_limit is null or p_limit < 1 then
        perform app.raise_error('22023', pg_catalog.format('p_limit %s is not a positive count', p_limit));
    end if;
    return notify.announce_pending(p_limit);
end
$$;

comment on function api.announce_events(integer) is
'Administrators: runs one batch (up to p_limit events) of the notifications consumer and then of the wakeups '
'consumer, as tradebase worker does; returns how many events were announced on tradebase_events. 42501 for '
'non-administrators, 22023 for a bad limit.';
