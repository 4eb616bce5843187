-- Caller input as it may appear in an error message: quoted like format('%L'), cut to its first 64
-- characters (then '…'), with control, zero-width and bidi characters shown as '?', so that no
-- argument can make a message (and the server log line that repeats it) long or misleading.
create or replace function app.quote_input(p_input text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
    select case
        when p_input is null then 'NULL'
        else pg_catalog.quote_literal(pg_catalog.regexp_replace(
            pg_catalog.left(p_input, 64), '[\x01-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]', '?', 'g'
        )) || case when pg_catalog.length(p_input) > 64 then '…' else '' end
    end
$$;

comment on function app.quote_input(text) is
'Caller input for an error message: quoted, at most 64 characters (then …), control/zero-width/bidi characters as ?.';
