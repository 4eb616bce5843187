-- Encryption under the owner-only data key (auth.secrets data_key); auth.decrypt is its inverse. The key's
-- row is share-locked until the caller commits: auth.rotate_data_key, which locks it for update first,
-- then waits for this secret's writer and re-encrypts what it wrote, or this waits for the rotation and
-- encrypts under the new key. Never under a key the rotation replaces as it commits (nobody could decrypt
-- it after). Callers encrypt before they lock the rows they write the secret to (the key's row first, as
-- the rotation locks it), so a writer and a rotation never deadlock.
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
    for share
$$;

comment on function auth.encrypt(text) is 'pgp_sym_encrypt (AES-256) of a secret under the data key, share-locked until commit against '
'auth.rotate_data_key; owner-only.';
