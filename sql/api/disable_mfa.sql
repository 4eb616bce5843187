create or replace function api.disable_mfa(p_current_password text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_hash text;
begin
    select s.password_hash into v_hash from auth.user_security as s where s.user_id = v_user_id for update;
    if v_hash is null or extensions.crypt(p_current_password, v_hash) is distinct from v_hash then
        perform app.raise_error('TB001', pg_catalog.format('the current password of user %s is wrong', v_user_id));
    end if;
    update auth.user_security as s
    set mfa_enabled = false, mfa_method = null, mfa_secret_encrypted = null, backup_code_hashes = '{}'
    where s.user_id = v_user_id;
end
$$;

comment on function api.disable_mfa(text) is
'Turns off MFA for the acting user after re-checking the password (TB001) and forgets secret and backup codes.';
