-- Re-encrypts every encrypted column under a new data key in one transaction (owner/operator only).
-- The list of encrypted columns is here and in the 'Secret:' comments of the migrations. The data key's row
-- is locked first: a writer that encrypted under the old key holds it shared (auth.encrypt) until it
-- commits, so this waits and then re-encrypts what it wrote; a writer that comes later waits for this and
-- encrypts under the new key.
create or replace function auth.rotate_data_key(p_new_key text default null)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_old text;
    v_new text := coalesce(p_new_key, pg_catalog.encode(extensions.gen_random_bytes(32), 'hex'));
    v_rows integer;
    v_more integer;
begin
    if pg_catalog.length(v_new) < 32 then
        perform app.raise_error('22023', 'a data key needs at least 32 characters');
    end if;
    select s.secret into strict v_old from auth.secrets as s where s.name = 'data_key' for update;
    update auth.user_security as s
    set
        mfa_secret_encrypted = extensions.pgp_sym_encrypt(
            extensions.pgp_sym_decrypt(s.mfa_secret_encrypted, v_old), v_new, 'cipher-algo=aes256'
        ),
        tax_id_encrypted = extensions.pgp_sym_encrypt(
            extensions.pgp_sym_decrypt(s.tax_id_encrypted, v_old), v_new, 'cipher-algo=aes256'
        )
    where s.mfa_secret_encrypted is not null or s.tax_id_encrypted is not null;
    get diagnostics v_rows = row_count;
    update auth.platform_credentials as p
    set
        api_key_encrypted = extensions.pgp_sym_encrypt(
            extensions.pgp_sym_decrypt(p.api_key_encrypted, v_old), v_new, 'cipher-algo=aes256'
        ),
        api_secret_encrypted = extensions.pgp_sym_encrypt(
            extensions.pgp_sym_decrypt(p.api_secret_encrypted, v_old), v_new, 'cipher-algo=aes256'
        ),
        additional_auth_encrypted = extensions.pgp_sym_encrypt(
            extensions.pgp_sym_decrypt(p.additional_auth_encrypted, v_old), v_new, 'cipher-algo=aes256'
        );
    get diagnostics v_more = row_count;
    update auth.secrets as s set secret = v_new, rotated_at = pg_catalog.now() where s.name = 'data_key';
    return v_rows + v_more;
end
$$;

comment on function auth.rotate_data_key(text) is
'Re-encrypts MFA secrets, tax ids and platform credentials under a new data key (given, or random) and stores it; '
'returns the number of rows re-encrypted.';
