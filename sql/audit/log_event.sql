-- Non-table events (login success/failure, API key use, act_as, exports) into the same log.
create or replace function audit.log_event(p_event text, p_user_id uuid default null, p_detail jsonb default null)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
    insert into audit.log (acting_user_id, operation, event, detail)
    values (coalesce(p_user_id, (select c.user_id from app.current_context() as c)), 'EVENT', p_event, p_detail)
$$;

comment on function audit.log_event(text, uuid, jsonb) is
'Writes an EVENT row to audit.log for the given user (default: the acting user) with free-form detail.';
