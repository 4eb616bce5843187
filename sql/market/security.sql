-- One security by its ticker (case and surrounding blanks ignored), or P0002 naming the symbol.
create or replace function market.security(p_symbol text)
returns market.securities
language plpgsql
stable
set search_path = ''
as $$
declare
    v_security market.securities;
begin
    select * into v_security from market.securities as s where s.symbol = pg_catalog.upper(pg_catalog.btrim(p_symbol));
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('security %s does not exist', app.quote_input(p_symbol)),
            'Check the symbol, or create it first with api.upsert_security.');
    end if;
    return v_security;
end
$$;

comment on function market.security(text) is 'The security with this ticker (case-insensitive); P0002 when there is none.';
