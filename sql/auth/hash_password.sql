-- depends: auth/setting.sql
create or replace function auth.hash_password(p_password text)
returns text
language sql
volatile
strict
set search_path = ''
as $$
    select extensions.crypt(p_password, extensions.gen_salt('bf', auth.setting('bcrypt_cost')::integer))
$$;

comment on function auth.hash_password(text) is 'bcrypt hash of a password with the cost of auth.settings bcrypt_cost.';
