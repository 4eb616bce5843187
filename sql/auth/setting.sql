-- Owner-only accessor of auth.settings for the definer functions.
create or replace function auth.setting(p_name text)
returns text
language sql
stable
strict
set search_path = ''
as $$
    select s.value from auth.settings as s where s.name = p_name
$$;

comment on function auth.setting(text) is 'The value of an identity parameter in auth.settings (null when unset).';
