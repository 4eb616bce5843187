-- Encryption under the owner-only data key (auth.secrets data_key); auth.decrypt is its inverse.
create or replace function auth.encrypt(p_plain text)
returns bytea
language sql
volatile
strict
set search_path = ''
as $$
    select extensions.pgp_sym_encrypt(p_plain, s.secret, 'cipher-algo=aes256')
    from auth.secrets as s
    where s.name = 'data_key'
$$;

comment on function auth.encrypt(text) is 'pgp_sym_encrypt (AES-256) of a secret under the data key; owner-only.';
