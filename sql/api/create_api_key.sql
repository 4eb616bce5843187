create or replace function api.create_api_key(
    p_name text,
    p_permissions jsonb default '{}',
    p_expires_at timestamptz default null
)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_key text := auth.new_token('tbk_');
begin
    if p_name is null or pg_catalog.length(p_name) not between 1 and 100 then
        perform app.raise_error('22023', 'an API key needs a name of 1 to 100 characters');
    end if;
    if p_permissions is null or pg_catalog.jsonb_typeof(p_permissions) <> 'object' then
        perform app.raise_error('22023', 'permissions must be a jsonb object', 'Pass ''{}'' for none.');
    end if;
    if p_expires_at <= pg_catalog.now() then
        perform app.raise_error('22023', pg_catalog.format('expiry %s is in the past', p_expires_at));
    end if;
    if exists (
        select from auth.api_keys as k where k.user_id = v_user_id and k.name = p_name and k.revoked_at is null
    ) then
        perform app.raise_error('22023', pg_catalog.format('an active API key named %L already exists', p_name),
            'Revoke it first or choose another name.');
    end if;
    insert into auth.api_keys (user_id, name, key_hash, key_prefix, permissions, expires_at)
    values (v_user_id, p_name, auth.hash_token(v_key), pg_catalog.left(v_key, 12), p_permissions, p_expires_at);
    return v_key;
end
$$;

comment on function api.create_api_key(text, jsonb, timestamptz) is
'Creates an API key for the acting user and returns it (shown once; only its hash is stored).';
