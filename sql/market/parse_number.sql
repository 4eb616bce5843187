-- Import validation must never fail on a cast: text that is not a plain decimal gives null.
-- SQL and not strict, so it is inlined into the import's set-based statements.
create or replace function market.parse_number(p_text text)
returns numeric
language sql
immutable
parallel safe
as $$
    select case
        when p_text ~ '^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?\s*$'
            then case when abs(p_text::numeric) < 1e16 then p_text::numeric end
    end
$$;

comment on function market.parse_number(text) is
'The decimal number in p_text, or null when it is not one or not below 1e16 in size (the range of app.price).';
