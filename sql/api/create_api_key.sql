-- API keys carry scopes (docs/security.md "Scopes"): p_permissions names some of read, trade, transfer
-- and manage with true or false; read is on unless set to false, the others off unless set to true, so
-- '{}' makes a read-only key. A key may not grant more than the credential creating it has (a manage
-- key cannot mint a transfer key). Calls of one user are serialised on the user's security row, so
-- two concurrent calls with the same name give one key and one 22023, never a unique violation.
-- depends: auth/hold_active_user.sql
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
    v_permissions jsonb := '{"read": true, "trade": false, "transfer": false, "manage": false}';
    v_unknown text;
    v_granted text [];
begin
    perform auth.require_scope('manage');
    if p_name is null or pg_catalog.length(p_name) not between 1 and 100 then
        perform app.raise_error('22023', 'an API key needs a name of 1 to 100 characters');
    end if;
    if p_permissions is null or pg_catalog.jsonb_typeof(p_permissions) <> 'object' then
        perform app.raise_error('22023', 'permissions must be a jsonb object of scopes',
            'Pass e.g. {"read": true, "trade": true}; ''{}'' makes a read-only key.');
    end if;
    select pg_catalog.string_agg(app.quote_input(e.key), ', ' order by e.key) into v_unknown
    from pg_catalog.jsonb_each(p_permissions) as e
    where e.key not in ('read', 'trade', 'transfer', 'manage') or pg_catalog.jsonb_typeof(e.value) <> 'boolean';
    if v_unknown is not null then
        perform app.raise_error('22023', pg_catalog.format('permissions %s are not scopes set to true or false',
            pg_catalog.left(v_unknown, 200)), 'The scopes are read, trade, transfer and manage, each true or false.');
    end if;
    v_permissions := v_permissions || p_permissions;
    select pg_catalog.array_agg(e.key order by e.key) into v_granted
    from pg_catalog.jsonb_each(v_permissions) as e
    where e.value = 'true'::jsonb;
    if v_granted is null then
        perform app.raise_error('22023', 'an API key needs at least one scope',
            'Set one of read, trade, transfer or manage to true.');
    end if;
    if not v_granted <@ (select c.scopes from app.current_context() as c) then
        perform app.raise_error('TB010', pg_catalog.format(
            'a credential with scopes %s cannot create a key with scopes %s',
            (select pg_catalog.array_to_string(c.scopes, ', ') from app.current_context() as c),
            pg_catalog.array_to_string(v_granted, ', ')
        ), 'Create it with a session token, or give it only scopes of the key you use.');
    end if;
    if p_expires_at <= pg_catalog.now() then
        perform app.raise_error('22023', pg_catalog.format('expiry %s is in the past', p_expires_at));
    end if;
    -- One caller at a time per user: the check below then sees a concurrent winner's key.
    perform from auth.user_security as s where s.user_id = v_user_id for update;
    -- Then the user's row (api.delete_account's order): no key left unrevoked to a user deleted meanwhile.
    perform auth.hold_active_user(v_user_id);
    if exists (
        select from auth.api_keys as k where k.user_id = v_user_id and k.name = p_name and k.revoked_at is null
    ) then
        perform app.raise_error('22023', pg_catalog.format('an active API key named %s already exists',
            app.quote_input(p_name)), 'Revoke it first or choose another name.');
    end if;
    insert into auth.api_keys (user_id, name, key_hash, key_prefix, permissions, expires_at)
    values (v_user_id, p_name, auth.hash_token(v_key), pg_catalog.left(v_key, 12), v_permissions, p_expires_at);
    return v_key;
end
$$;

comment on function api.create_api_key(text, jsonb, timestamptz) is
'Creates an API key for the acting user with scopes (read, trade, transfer, manage: read on unless false, the '
'others off unless true) and returns it (shown once; only its hash is stored). Needs manage; 22023 for a bad '
'name, unknown or non-boolean scopes, no scope, a past expiry or an active key of that name; TB010 for scopes the '
'calling credential lacks; TB004 for a user deleted meanwhile.';
