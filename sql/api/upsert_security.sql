-- Create a security or update its descriptive fields; the symbol is the natural key.
create or replace function api.upsert_security(
    p_symbol text,
    p_name text,
    p_asset_type text,
    p_exchange text default null,
    p_currency text default 'USD',
    p_fractionable boolean default true
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_symbol text := pg_catalog.upper(pg_catalog.btrim(p_symbol));
    v_currency text := pg_catalog.upper(pg_catalog.btrim(p_currency));
    v_id uuid;
begin
    perform app.require_admin(pg_catalog.format('define security %s', app.quote_input(p_symbol)));
    if v_symbol is null or v_symbol !~ '^[A-Z0-9^][A-Z0-9.:/=_^-]{0,31}$' then
        perform app.raise_error('22023', pg_catalog.format('p_symbol %s is not a ticker', app.quote_input(p_symbol)),
            'Use 1-32 letters, digits or . : / = _ ^ - (e.g. AAPL, BRK.B, BTC-USD).');
    end if;
    if p_name is null or pg_catalog.btrim(p_name) = '' then
        perform app.raise_error('22023', pg_catalog.format('p_name of security %s is empty', v_symbol));
    end if;
    if p_asset_type is null
        or p_asset_type not in ('stock', 'etf', 'mutual_fund', 'bond', 'crypto', 'forex', 'commodity') then
        perform app.raise_error('22023', pg_catalog.format('p_asset_type %s is not an asset type', app.quote_input(p_asset_type)),
            'Use stock, etf, mutual_fund, bond, crypto, forex or commodity.');
    end if;
    if v_currency is null or v_currency !~ '^[A-Z]{3}$' then
        perform app.raise_error('22023', pg_catalog.format('p_currency %s is not an ISO 4217 code', app.quote_input(p_currency)),
            'Use three letters, e.g. USD.');
    end if;

    insert into market.securities as s (symbol, name, asset_type, exchange, currency, fractionable)
    values (
        v_symbol, pg_catalog.btrim(p_name), p_asset_type, nullif(pg_catalog.btrim(p_exchange), ''), v_currency,
        coalesce(p_fractionable, true)
    )
    on conflict (symbol) do update
        set name = excluded.name,
            asset_type = excluded.asset_type,
            exchange = excluded.exchange,
            currency = excluded.currency,
            fractionable = excluded.fractionable,
            updated_at = pg_catalog.now()
    returning s.id into v_id;
    return v_id;
end
$$;

comment on function api.upsert_security(text, text, text, text, text, boolean) is
'Admin only: create the security with this symbol (upper-cased) or update its name, type, exchange, currency and '
'fractionable flag; returns its id. 42501 for non-admins, 22023 for a symbol that is not a ticker, an empty name, '
'an unknown asset type or a currency that is not an ISO 4217 code.';
