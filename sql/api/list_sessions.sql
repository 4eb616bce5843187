-- auth.user_sessions holds token hashes, so apps cannot read it; this lists the acting user's sessions without them.
create or replace function api.list_sessions()
returns table (
    id uuid,
    device_type text,
    device_name text,
    ip_address inet,
    user_agent text,
    created_at timestamptz,
    last_activity_at timestamptz,
    expires_at timestamptz,
    revoked_at timestamptz,
    is_current boolean
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
begin
    perform auth.require_scope('manage');
    return query
    select
        s.id, s.device_type, s.device_name, s.ip_address, s.user_agent, s.created_at, s.last_activity_at,
        s.expires_at, s.revoked_at,
        s.id is not distinct from (select c.ref_id from app.current_context() as c where c.via = 'session')
    from auth.user_sessions as s
    where s.user_id = v_user_id
    order by s.created_at;
end
$$;

comment on function api.list_sessions() is
'The acting user''s sessions (device, address, activity, expiry), never the token. Needs manage; TB008 when '
'anonymous.';
