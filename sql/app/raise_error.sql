-- depends: app/quote_input.sql
-- The one way tradebase functions raise errors an app can receive: the SQLSTATE must be in
-- app.error_codes (so docs and the Python exceptions know it) and a default hint fills in.
-- Callers quote the input they echo with app.quote_input; as a backstop, message, hint and detail are
-- cut to 500 characters here, so no argument lands in a message (or the server log) at full length.
create or replace function app.raise_error(
    p_sqlstate text,
    p_message text,
    p_hint text default null,
    p_detail text default null
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_code app.error_codes;
    v_message text := p_message;
    v_hint text := p_hint;
    v_detail text := p_detail;
begin
    if pg_catalog.length(v_message) > 500 then
        v_message := pg_catalog.left(v_message, 499) || '…';
    end if;
    if pg_catalog.length(v_hint) > 500 then
        v_hint := pg_catalog.left(v_hint, 499) || '…';
    end if;
    if pg_catalog.length(v_detail) > 500 then
        v_detail := pg_catalog.left(v_detail, 499) || '…';
    end if;
    select * into v_code from app.error_codes as e where e.sqlstate = p_sqlstate;
    if not found then
        raise exception 'error code % is not registered in app.error_codes (message: %)',
            app.quote_input(p_sqlstate), v_message
            using errcode = 'P0004';
    end if;
    raise exception using
        errcode = p_sqlstate,
        message = v_message,
        hint = coalesce(v_hint, v_code.default_hint, ''),
        detail = coalesce(v_detail, '');
end
$$;

comment on function app.raise_error(text, text, text, text) is
'Raise a registered SQLSTATE with a message naming the ids involved and a hint (the code''s default if none given); '
'message, hint and detail are cut to 500 characters.';
