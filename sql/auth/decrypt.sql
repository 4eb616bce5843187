create or replace function auth.decrypt(p_cipher bytea)
returns text
language sql
stable
strict
set search_path = ''
as $$
    select extensions.pgp_sym_decrypt(p_cipher, s.secret)
    from auth.secrets as s
    where s.name = 'data_key'
$$;

comment on function auth.decrypt(bytea) is 'Decrypts what auth.encrypt produced, with the current data key; owner-only.';
