-- Links a broker or exchange for the acting user, its credentials encrypted (auth.encrypt, before any row is
-- locked), one live connection per platform (serialised on the user's security row: TB009).
-- depends: auth/hold_active_user.sql
create or replace function api.connect_platform(
    p_platform text,
    p_api_key text,
    p_api_secret text,
    p_additional_auth jsonb default null,
    p_auto_sync_enabled boolean default true,
    p_sync_frequency_minutes integer default 60
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_platform text := pg_catalog.lower(p_platform);
    v_id uuid;
    v_key bytea;
    v_secret bytea;
    v_additional bytea;
begin
    perform auth.require_scope('manage');
    if v_platform is null or v_platform !~ '^[a-z][a-z0-9_]{1,31}$' then
        perform app.raise_error('22023', pg_catalog.format('platform %s is not a platform slug', app.quote_input(p_platform)),
            'Use the platform''s short name, e.g. zerodha or binance.');
    end if;
    if coalesce(p_api_key, '') = '' or coalesce(p_api_secret, '') = '' then
        perform app.raise_error('22023', 'an API key and secret are required');
    end if;
    if p_additional_auth is not null and pg_catalog.jsonb_typeof(p_additional_auth) <> 'object' then
        perform app.raise_error('22023', 'additional auth data must be a jsonb object');
    end if;
    if p_sync_frequency_minutes is null or p_sync_frequency_minutes not between 5 and 10080 then
        perform app.raise_error('22023', pg_catalog.format('sync frequency %s is out of range', p_sync_frequency_minutes),
            'Use 5 to 10080 minutes.');
    end if;
    -- The credentials are encrypted first (auth.encrypt holds the data key's row, which a rotation takes
    -- before the rows it re-encrypts).
    v_key := auth.encrypt(p_api_key);
    v_secret := auth.encrypt(p_api_secret);
    v_additional := auth.encrypt(p_additional_auth::text);
    -- One caller at a time per user (the user's security row): a concurrent call with the same platform
    -- waits here, then sees the winner's connection and gets TB009 instead of a unique violation.
    perform from auth.user_security as s where s.user_id = v_user_id for update;
    -- Then the user's row (api.delete_account's order: it locks the security row first, in
    -- auth.verify_password): a deletion that committed meanwhile is seen (TB004), never a connection
    -- with stored credentials left to a deleted user.
    perform auth.hold_active_user(v_user_id);
    if exists (
        select from auth.platform_connections as c
        where c.user_id = v_user_id and c.platform = v_platform and c.status <> 'disconnected'
    ) then
        perform app.raise_error('TB009', pg_catalog.format('user %s is already connected to %s', v_user_id, v_platform));
    end if;
    insert into auth.platform_connections (user_id, platform, auto_sync_enabled, sync_frequency_minutes)
    values (v_user_id, v_platform, coalesce(p_auto_sync_enabled, true), p_sync_frequency_minutes)
    returning id into v_id;
    insert into auth.platform_credentials (connection_id, api_key_encrypted, api_secret_encrypted, additional_auth_encrypted)
    values (v_id, v_key, v_secret, v_additional);
    return v_id;
end
$$;

comment on function api.connect_platform(text, text, text, jsonb, boolean, integer) is
'Links a broker/exchange for the acting user, storing its credentials encrypted; TB009 when already connected '
'(concurrent calls included), TB004 for a user deleted meanwhile, 22023 for a platform that is not a slug, a '
'missing key or secret, additional auth data that is not an object or a sync frequency outside 5 to 10080 '
'minutes. Needs manage.';
