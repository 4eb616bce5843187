-- Soft delete: the row stays (ledgers and the audit trail reference it), the user can no longer log
-- in or authenticate, every session and API key is revoked and stored credentials are destroyed.
create or replace function api.delete_account(p_current_password text)
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
    update auth.users as u set is_active = false, deleted_at = pg_catalog.now() where u.id = v_user_id;
    update auth.user_sessions as s set revoked_at = pg_catalog.now() where s.user_id = v_user_id and s.revoked_at is null;
    update auth.api_keys as k set revoked_at = pg_catalog.now() where k.user_id = v_user_id and k.revoked_at is null;
    update auth.platform_connections as c
    set status = 'disconnected', disconnected_at = pg_catalog.now()
    where c.user_id = v_user_id and c.status <> 'disconnected';
    delete from auth.platform_credentials as p
    using auth.platform_connections as c
    where p.connection_id = c.id and c.user_id = v_user_id;
    update auth.user_security as s
    set password_hash = null, mfa_enabled = false, mfa_method = null, mfa_secret_encrypted = null,
        backup_code_hashes = '{}', tax_id_encrypted = null
    where s.user_id = v_user_id;
    perform app.set_context(null, null, null);
end
$$;

comment on function api.delete_account(text) is
'Soft-deletes the acting user after re-checking the password (TB001): deactivates, revokes sessions and keys, '
'disconnects platforms and destroys stored secrets.';
