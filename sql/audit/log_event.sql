-- Non-table events (login success/failure, API key use, act_as, exports) into the same log.
create or replace function audit.log_event(p_event text, p_user_id uuid default null, p_detail jsonb default null)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
    insert into audit.log (acting_user_id, actor, operation, event, detail)
    select coalesce(p_user_id, c.user_id), c.actor, 'EVENT', p_event, p_detail
    from app.current_context() as c
$$;

comment on function audit.log_event(text, uuid, jsonb) is
'Writes an EVENT row to audit.log for the given user (default: the acting user), with the acting system actor '
'and free-form detail.';
