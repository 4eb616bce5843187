create or replace function api.revoke_session(p_session_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_owner uuid;
begin
    perform auth.require_scope('manage');
    perform auth.require_user();
    select s.user_id into v_owner from auth.user_sessions as s where s.id = p_session_id for update;
    perform auth.assert_owner('session', p_session_id, v_owner);
    update auth.user_sessions as s set revoked_at = pg_catalog.now() where s.id = p_session_id and s.revoked_at is null;
end
$$;

comment on function api.revoke_session(uuid) is
'Revokes one of the acting user''s sessions, e.g. a lost device (idempotent); 42501 another user''s, P0002 unknown.';
