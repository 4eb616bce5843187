-- Verifies a session token (tbs_...) or an API key (tbk_...) and signs the transaction's request
-- context with it: the user, how it authenticated and the credential's scopes (a session has every
-- scope, a key those of its permissions), so auth.require_scope needs no table lookup later.
create or replace function api.authenticate(p_token text)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_hash bytea := auth.hash_token(p_token);
    v_user_id uuid;
    v_ref_id uuid;
    v_via text;
    v_timeout integer;
    v_scopes text [] := array['read', 'trade', 'transfer', 'manage'];
begin
    if p_token like 'tbk\_%' then
        v_via := 'api_key';
        select
            k.user_id,
            k.id,
            array(select s.name from pg_catalog.unnest(v_scopes) as s (name) where (k.permissions ->> s.name)::boolean)
        into v_user_id, v_ref_id, v_scopes
        from auth.api_keys as k
        where k.key_hash = v_hash and k.revoked_at is null and coalesce(k.expires_at > pg_catalog.now(), true);
    else
        v_via := 'session';
        select s.user_id, s.id into v_user_id, v_ref_id
        from auth.user_sessions as s
        where s.token_hash = v_hash and s.revoked_at is null and s.expires_at > pg_catalog.now();
    end if;
    if v_user_id is null then
        perform app.raise_error('TB003', 'the token is unknown, expired or revoked');
    end if;
    if not exists (select from auth.users as u where u.id = v_user_id and u.is_active and u.deleted_at is null) then
        perform app.raise_error('TB004', pg_catalog.format('user %s is disabled', v_user_id));
    end if;
    if v_via = 'api_key' then
        update auth.api_keys as k set last_used_at = pg_catalog.now() where k.id = v_ref_id;
        perform audit.log_event('api_key_used', v_user_id, pg_catalog.jsonb_build_object('api_key_id', v_ref_id));
    else
        -- Sliding idle expiry, written at most once a minute per session.
        select s.session_timeout_minutes into v_timeout from auth.user_security as s where s.user_id = v_user_id;
        update auth.user_sessions as s
        set last_activity_at = pg_catalog.now(), expires_at = pg_catalog.now() + pg_catalog.make_interval(mins => v_timeout)
        where s.id = v_ref_id and s.last_activity_at < pg_catalog.now() - interval '1 minute';
    end if;
    perform app.set_context(v_user_id, v_via, v_ref_id, v_scopes);
    return v_user_id;
end
$$;

comment on function api.authenticate(text) is
'Verifies a session token or API key (not revoked, not expired, user active) and makes its user the acting user '
'of this transaction with the credential''s scopes (a session all, a key its own); TB003 for a bad token, TB004 '
'for a disabled user.';
