-- The one way tradebase functions raise errors an app can receive: the SQLSTATE must be in
-- app.error_codes (so docs and the Python exceptions know it) and a default hint fills in.
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
begin
    select * into v_code from app.error_codes as e where e.sqlstate = p_sqlstate;
    if not found then
        raise exception 'error code % is not registered in app.error_codes (message: %)', p_sqlstate, p_message
            using errcode = 'P0004';
    end if;
    raise exception using
        errcode = p_sqlstate,
        message = p_message,
        hint = coalesce(p_hint, v_code.default_hint, ''),
        detail = coalesce(p_detail, '');
end
$$;

comment on function app.raise_error(text, text, text, text) is
'Raise a registered SQLSTATE with a message naming the ids involved and a hint (the code''s default if none given).';
