-- The password policy, shared by registration and password changes.
create or replace function auth.check_password(p_password text, p_username text default null)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
    if p_password is null or pg_catalog.length(p_password) < 10 then
        perform app.raise_error('TB005', 'the password is shorter than 10 characters',
            'Use at least 10 characters.');
    end if;
    -- bcrypt only reads the first 72 bytes.
    if pg_catalog.octet_length(p_password) > 72 then
        perform app.raise_error('TB005', 'the password is longer than 72 bytes', 'Use at most 72 bytes.');
    end if;
    if p_username is not null and pg_catalog.strpos(pg_catalog.lower(p_password), pg_catalog.lower(p_username)) > 0 then
        perform app.raise_error('TB005', 'the password contains the username', 'Choose a password without your username.');
    end if;
end
$$;

comment on function auth.check_password(text, text) is
'Raises TB005 unless the password has at least 10 characters, at most 72 bytes, and does not contain the username.';
