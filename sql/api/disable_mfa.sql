create or replace function api.disable_mfa(p_current_password text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
begin
    perform auth.require_scope('manage');
    perform auth.verify_password(v_user_id, p_current_password);
    update auth.user_security as s
    set mfa_enabled = false, mfa_method = null, mfa_secret_encrypted = null, backup_code_hashes = '{}'
    where s.user_id = v_user_id;
end
$$;

comment on function api.disable_mfa(text) is
'Turns off MFA for the acting user after re-checking the password (TB001) and forgets secret and backup codes.';
