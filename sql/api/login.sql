-- Password login. Bad credentials return NULL instead of raising: an error would roll back the
-- failure counter, the lock and the login_failure audit row. Unknown user and wrong password look
-- the same (same result, a bcrypt of similar cost either way). A locked or disabled account raises.
create or replace function api.login(
    p_login text,
    p_password text,
    p_ip inet default null,
    p_user_agent text default null
)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user auth.users;
    v_security auth.user_security;
    v_token text;
    v_session_id uuid;
begin
    select u.* into v_user
    from auth.users as u
    where pg_catalog.lower(u.email) = pg_catalog.lower(p_login)
        or pg_catalog.lower(u.username) = pg_catalog.lower(p_login);
    if v_user.id is not null then
        select s.* into v_security from auth.user_security as s where s.user_id = v_user.id for update;
    end if;
    if v_security.account_locked_until > pg_catalog.now() then
        perform app.raise_error('TB002', pg_catalog.format('account of %s is locked until %s',
            app.quote_input(p_login), v_security.account_locked_until));
    end if;
    if v_security.password_hash is null
        or extensions.crypt(p_password, v_security.password_hash) is distinct from v_security.password_hash then
        if v_user.id is null then
            perform extensions.crypt(coalesce(p_password, ''), extensions.gen_salt('bf', auth.setting('bcrypt_cost')::integer));
        else
            update auth.user_security as s
            set
                failed_login_attempts = case when s.failed_login_attempts >= 4 then 0 else s.failed_login_attempts + 1 end,
                account_locked_until = case
                    when s.failed_login_attempts >= 4 then pg_catalog.now() + interval '15 minutes'
                    else s.account_locked_until
                end
            where s.user_id = v_user.id;
        end if;
        perform audit.log_event('login_failure', v_user.id,
            pg_catalog.jsonb_build_object(
                'login', pg_catalog.left(p_login, 254), 'ip', p_ip, 'user_agent', pg_catalog.left(p_user_agent, 500)
            ));
        return null;
    end if;
    if not v_user.is_active or v_user.deleted_at is not null then
        perform app.raise_error('TB004', pg_catalog.format('user %s is disabled', v_user.id));
    end if;
    update auth.user_security as s
    set failed_login_attempts = 0, account_locked_until = null
    where s.user_id = v_user.id and (s.failed_login_attempts <> 0 or s.account_locked_until is not null);
    update auth.users as u set last_login_at = pg_catalog.now() where u.id = v_user.id;
    v_token := auth.new_token('tbs_');
    insert into auth.user_sessions (user_id, token_hash, ip_address, user_agent, expires_at)
    values (
        v_user.id, auth.hash_token(v_token), p_ip, p_user_agent,
        pg_catalog.now() + pg_catalog.make_interval(mins => v_security.session_timeout_minutes)
    )
    returning id into v_session_id;
    perform audit.log_event('login_success', v_user.id,
        pg_catalog.jsonb_build_object('session_id', v_session_id, 'ip', p_ip, 'user_agent', p_user_agent));
    return v_token;
end
$$;

comment on function api.login(text, text, inet, text) is
'Email or username + password -> a new session token (shown once); NULL for bad credentials (5 in a row lock the '
'account for 15 minutes: TB002); TB004 for a disabled account.';
