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
    -- The credential of this very transaction: it acts no more, not even in the rest of the transaction.
    if (select c.ref_id from app.current_context() as c where c.via = 'session') = p_session_id then
        perform app.set_context(null, null, null);
    end if;
end
$$;

comment on function api.revoke_session(uuid) is
'Revokes one of the acting user''s sessions, e.g. a lost device (idempotent; the current one also ends this '
'transaction''s context). Needs manage; 42501 another user''s, P0002 unknown.';
