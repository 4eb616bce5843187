-- Changes a strategy of the acting user: each argument given replaces that field, a null one leaves it
-- as it is. Its type is fixed; new parameters are checked against it (strategy.checked_parameters). The
-- public catalogue is changed by nobody (42501); other users' strategies are 42501 too.
create or replace function api.update_strategy(
    p_strategy_id uuid,
    p_name text default null,
    p_parameters jsonb default null,
    p_description text default null,
    p_symbols text[] default null,
    p_category text default null,
    p_risk_level text default null,
    p_min_capital numeric default null,
    p_expected_annual_return numeric default null,
    p_expected_max_drawdown numeric default null,
    p_is_active boolean default null
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid;
    v_strategy strategy.strategies;
    v_parameters jsonb;
begin
    perform auth.require_scope('trade');
    v_user_id := auth.require_user();
    v_strategy := strategy.owned_strategy(p_strategy_id, v_user_id, true);
    perform strategy.check_details(p_name, p_description, p_symbols, p_category, pg_catalog.lower(p_risk_level),
        p_min_capital, p_expected_annual_return, p_expected_max_drawdown);
    if p_parameters is not null then
        v_parameters := strategy.checked_parameters(v_strategy.strategy_type, p_parameters);
    end if;
    begin
        update strategy.strategies as s set
            name = coalesce(p_name, s.name),
            parameters = coalesce(v_parameters, s.parameters),
            description = coalesce(p_description, s.description),
            symbols = coalesce(p_symbols, s.symbols),
            category = coalesce(p_category, s.category),
            risk_level = coalesce(pg_catalog.lower(p_risk_level), s.risk_level),
            min_capital = coalesce(p_min_capital, s.min_capital),
            expected_annual_return_pct = coalesce(p_expected_annual_return, s.expected_annual_return_pct),
            expected_max_drawdown_pct = coalesce(p_expected_max_drawdown, s.expected_max_drawdown_pct),
            is_active = coalesce(p_is_active, s.is_active),
            updated_at = pg_catalog.now()
        where s.id = v_strategy.id;
    exception when unique_violation then
        perform app.raise_error('22023', pg_catalog.format('you already have a strategy named %s', app.quote_input(p_name)),
            'Choose another name.');
    end;
end
$$;

comment on function api.update_strategy(uuid, text, jsonb, text, text[], text, text, numeric, numeric, numeric, boolean) is
'Changes the fields given (non-null) of a strategy of the acting user; its type is fixed and new parameters are '
'checked against it. 22023: null id, invalid parameters or fields, a name taken; P0002 unknown strategy; 42501 '
'another user''s or a public catalogue strategy; TB008 anonymous.';
