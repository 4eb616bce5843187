-- The TOTP/SMS check itself happens in the app; the database keeps the secret encrypted and the
-- backup codes hashed, and returns the codes once.
-- depends: auth/hold_active_user.sql
create or replace function api.enable_mfa(p_method text, p_secret text default null)
returns text[]
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_codes text [];
    v_secret bytea;
begin
    perform auth.require_scope('manage');
    if p_method is null or p_method not in ('totp', 'sms', 'email') then
        perform app.raise_error('22023', pg_catalog.format('MFA method %s is not totp, sms or email',
            app.quote_input(p_method)));
    end if;
    if p_method = 'totp' and coalesce(pg_catalog.length(p_secret), 0) not between 16 and 128 then
        perform app.raise_error('22023', 'a TOTP secret has 16 to 128 characters');
    end if;
    -- The secret is encrypted first (auth.encrypt holds the data key's row, which a rotation takes before
    -- the security rows), then the user's security row is locked: of concurrent calls one wins and the
    -- others see MFA enabled. Replacing a live secret or backup codes needs the password, through
    -- api.disable_mfa.
    v_secret := auth.encrypt(p_secret);
    perform from auth.user_security as s where s.user_id = v_user_id and not s.mfa_enabled for update;
    if not found then
        perform app.raise_error('TB011', pg_catalog.format('MFA is already enabled for user %s', v_user_id));
    end if;
    -- Then the user's row (api.delete_account's order): no secret stored for a user deleted meanwhile.
    perform auth.hold_active_user(v_user_id);
    select pg_catalog.array_agg(pg_catalog.encode(extensions.gen_random_bytes(5), 'hex'))
    into v_codes
    from pg_catalog.generate_series(1, 8);
    update auth.user_security as s
    set
        mfa_enabled = true,
        mfa_method = p_method,
        mfa_secret_encrypted = v_secret,
        backup_code_hashes = (
            select pg_catalog.array_agg(pg_catalog.encode(auth.hash_token(c.code), 'hex')) from pg_catalog.unnest(v_codes) as c (code)
        )
    where s.user_id = v_user_id;
    return v_codes;
end
$$;

comment on function api.enable_mfa(text, text) is
'Turns on MFA for the acting user (secret encrypted) and returns 8 one-time backup codes (stored hashed). Needs '
'manage; 22023 for a bad method or TOTP secret, TB011 when MFA is already enabled (disable it first), TB004 for '
'a user deleted meanwhile.';
