create or replace function api.revoke_session(p_session_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_owner uuid;
begin
    select s.user_id into v_owner from auth.user_sessions as s where s.id = p_session_id for update;
    if v_owner is null then
        perform app.raise_error('P0002', pg_catalog.format('session %s does not exist', p_session_id));
    end if;
    if v_owner <> v_user_id then
        perform app.raise_error('42501', pg_catalog.format('session %s belongs to another user', p_session_id));
    end if;
    update auth.user_sessions as s set revoked_at = pg_catalog.now() where s.id = p_session_id and s.revoked_at is null;
end
$$;

comment on function api.revoke_session(uuid) is
'Revokes one of the acting user''s sessions, e.g. a lost device (idempotent); 42501 another user''s, P0002 unknown.';
