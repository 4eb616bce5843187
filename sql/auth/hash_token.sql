-- Session tokens and API keys are random and long, so a plain SHA-256 is enough to store them.
create or replace function auth.hash_token(p_token text)
returns bytea
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select pg_catalog.sha256(pg_catalog.convert_to(p_token, 'UTF8'))
$$;

comment on function auth.hash_token(text) is 'SHA-256 of a session token or API key, as stored in token_hash / key_hash.';
