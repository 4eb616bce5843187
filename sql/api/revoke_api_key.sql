create or replace function api.revoke_api_key(p_key_id uuid)
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
    select k.user_id into v_owner from auth.api_keys as k where k.id = p_key_id for update;
    perform auth.assert_owner('API key', p_key_id, v_owner);
    update auth.api_keys as k set revoked_at = pg_catalog.now() where k.id = p_key_id and k.revoked_at is null;
    -- The credential of this very transaction: it acts no more, not even in the rest of the transaction.
    if (select c.ref_id from app.current_context() as c where c.via = 'api_key') = p_key_id then
        perform app.set_context(null, null, null);
    end if;
end
$$;

comment on function api.revoke_api_key(uuid) is
'Revokes one of the acting user''s API keys (idempotent; the key in use also ends this transaction''s context). '
'Needs manage; 42501 for another user''s key, P0002 for an unknown one.';
