create or replace function api.revoke_api_key(p_key_id uuid)
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
    select k.user_id into v_owner from auth.api_keys as k where k.id = p_key_id for update;
    if v_owner is null then
        perform app.raise_error('P0002', pg_catalog.format('API key %s does not exist', p_key_id));
    end if;
    if v_owner <> v_user_id then
        perform app.raise_error('42501', pg_catalog.format('API key %s belongs to another user', p_key_id));
    end if;
    update auth.api_keys as k set revoked_at = pg_catalog.now() where k.id = p_key_id and k.revoked_at is null;
end
$$;

comment on function api.revoke_api_key(uuid) is
'Revokes one of the acting user''s API keys (idempotent); 42501 for another user''s key, P0002 for an unknown one.';
