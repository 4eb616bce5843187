-- A random secret with a readable prefix (tbs_ session, tbk_ API key) so a leaked string is recognisable.
create or replace function auth.new_token(p_prefix text)
returns text
language sql
volatile
strict
set search_path = ''
as $$
    select p_prefix || pg_catalog.encode(extensions.gen_random_bytes(32), 'hex')
$$;

comment on function auth.new_token(text) is 'A new random token: the prefix followed by 64 hex characters (256 bits).';
