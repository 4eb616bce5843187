-- The descriptive fields of a strategy, checked once for api.create_strategy and api.update_strategy: a
-- 22023 naming the argument, with a hint, for anything the table's constraints would refuse (so the
-- caller never meets a 23514) or that would be stored other than as given. A null argument is not checked
-- (create: no value; update: unchanged); the name is checked when given.
create or replace function strategy.check_details(
    p_name text,
    p_description text,
    p_symbols text[],
    p_category text,
    p_risk_level text,
    p_min_capital numeric,
    p_expected_annual_return numeric,
    p_expected_max_drawdown numeric
)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_bad text;
begin
    if p_name is not null and (pg_catalog.btrim(p_name) = '' or pg_catalog.length(p_name) > 100) then
        perform app.raise_error('22023', pg_catalog.format('strategy name %s must be 1 to 100 characters, not blank',
            app.quote_input(p_name)), 'Give the strategy a short name.');
    end if;
    if pg_catalog.length(p_description) > 2000 then
        perform app.raise_error('22023', 'strategy description is longer than 2,000 characters',
            'Shorten the description.');
    end if;
    if p_symbols is not null then
        if pg_catalog.cardinality(p_symbols) > 100 or pg_catalog.array_ndims(p_symbols) > 1 then
            perform app.raise_error('22023', 'p_symbols must be a list of at most 100 tickers',
                'Pass a one-dimensional array of up to 100 tickers.');
        end if;
        select s into v_bad from pg_catalog.unnest(p_symbols) as s
        where s is null or s !~ '^[A-Z0-9^][A-Z0-9.:/=_^-]{0,31}$' limit 1;
        if found then
            perform app.raise_error('22023', pg_catalog.format('symbol %s is not an upper-case ticker',
                app.quote_input(v_bad)), 'Tickers are upper case, e.g. AAPL, BRK.B, BTC-USD, EUR/USD, ^GSPC.');
        end if;
    end if;
    if p_category is not null and (pg_catalog.btrim(p_category) = '' or pg_catalog.length(p_category) > 50) then
        perform app.raise_error('22023', pg_catalog.format('category %s must be 1 to 50 characters, not blank',
            app.quote_input(p_category)), 'Use a short category such as trend following.');
    end if;
    if p_risk_level is not null and p_risk_level not in ('low', 'medium', 'high') then
        perform app.raise_error('22023', pg_catalog.format('risk level %s is unknown', app.quote_input(p_risk_level)),
            'Use low, medium or high.');
    end if;
    if p_min_capital is not null then
        perform trading.checked_number(p_min_capital, 'p_min_capital', 0, app.max_amount(), 8);
    end if;
    if p_expected_annual_return is not null then
        perform trading.checked_number(p_expected_annual_return, 'p_expected_annual_return (percent)', -100, 10000, 4);
    end if;
    if p_expected_max_drawdown is not null then
        perform trading.checked_number(p_expected_max_drawdown, 'p_expected_max_drawdown (percent)', 0, 100, 4);
    end if;
end
$$;

comment on function strategy.check_details(text, text, text[], text, text, numeric, numeric, numeric) is
'22023 with a hint for a strategy''s name, description, symbols, category, risk level, minimum capital, expected '
'return or expected drawdown that the table would refuse; nulls are not checked.';
