-- A strategy of the acting user (issue 16 §1; DESIGN §4's signature first, then the descriptive fields).
-- Its parameters are checked and completed by strategy.checked_parameters, its other fields by
-- strategy.check_details; a name the user already gave a strategy is a 22023.
create or replace function api.create_strategy(
    p_name text,
    p_strategy_type text,
    p_parameters jsonb,
    p_description text default null,
    p_symbols text[] default '{}',
    p_category text default null,
    p_risk_level text default null,
    p_min_capital numeric default null,
    p_expected_annual_return numeric default null,
    p_expected_max_drawdown numeric default null
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid;
    v_parameters jsonb;
    v_id uuid;
begin
    perform auth.require_scope('trade');
    v_user_id := auth.require_user();
    if p_name is null then
        perform app.raise_error('22023', 'strategy name must not be null', 'Give the strategy a short name.');
    end if;
    perform strategy.check_details(p_name, p_description, p_symbols, p_category, pg_catalog.lower(p_risk_level),
        p_min_capital, p_expected_annual_return, p_expected_max_drawdown);
    v_parameters := strategy.checked_parameters(pg_catalog.lower(p_strategy_type), p_parameters);
    begin
        insert into strategy.strategies (
            user_id, name, description, strategy_type, parameters, symbols, category, risk_level, min_capital,
            expected_annual_return_pct, expected_max_drawdown_pct
        ) values (
            v_user_id, p_name, p_description, pg_catalog.lower(p_strategy_type), v_parameters, coalesce(p_symbols, '{}'),
            p_category, pg_catalog.lower(p_risk_level), p_min_capital, p_expected_annual_return, p_expected_max_drawdown
        )
        returning id into v_id;
    exception when unique_violation then
        perform app.raise_error('22023', pg_catalog.format('you already have a strategy named %s', app.quote_input(p_name)),
            'Choose another name, or change that strategy with api.update_strategy.');
    end;
    return v_id;
end
$$;

comment on function api.create_strategy(text, text, jsonb, text, text[], text, text, numeric, numeric, numeric) is
'Creates a strategy of the acting user and returns its id. Types sma_crossover {fast, slow, mode}, rsi_reversion '
'{period, oversold, overbought}, signals {} (backtestable), momentum, mean_reversion, arbitrage, ml, ai, manual '
'(descriptive). 22023: unknown type, invalid parameters (unknown keys, wrong types, impossible values), a name '
'blank or taken, bad symbols, category, risk level (low, medium, high), capital or percentages; TB008 anonymous.';
