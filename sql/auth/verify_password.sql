-- Re-checks the acting user's password before a sensitive change (password, MFA, account deletion).
create or replace function auth.verify_password(p_user_id uuid, p_password text)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_hash text;
begin
    select s.password_hash into v_hash from auth.user_security as s where s.user_id = p_user_id for update;
    if v_hash is null or extensions.crypt(p_password, v_hash) is distinct from v_hash then
        perform app.raise_error('TB001', pg_catalog.format('the current password of user %s is wrong', p_user_id));
    end if;
end
$$;

comment on function auth.verify_password(uuid, text) is
'Raises TB001 unless the password matches the user''s stored hash; locks the user''s security row.';
