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
end
$$;

comment on function api.revoke_api_key(uuid) is
'Revokes one of the acting user''s API keys (idempotent); 42501 for another user''s key, P0002 for an unknown one.';
