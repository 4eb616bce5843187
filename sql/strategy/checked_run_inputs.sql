-- What a backtest and a sweep both take, checked once (api.run_backtest, api.sweep_backtest): an active
-- strategy, a known symbol, a timeframe, a range of dates, the capital and the commission. Returns the
-- security's id. The caller has checked the strategy's type, whose message differs between the two.
create or replace function strategy.checked_run_inputs(
    p_strategy strategy.strategies,
    p_symbol text,
    p_start date,
    p_end date,
    p_initial_capital numeric,
    p_commission numeric,
    p_timeframe text
)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    v_security_id uuid;
begin
    if not p_strategy.is_active then
        perform app.raise_error('22023', pg_catalog.format('strategy %s is inactive', p_strategy.id),
            'Activate it first: api.update_strategy(p_strategy_id, p_is_active => true).');
    end if;
    if p_symbol is null then
        perform app.raise_error('22023', 'symbol must not be null', 'Pass the symbol of a security.');
    end if;
    select s.id into v_security_id from market.securities as s where s.symbol = p_symbol;
    if v_security_id is null then
        perform app.raise_error('P0002', pg_catalog.format('security %s does not exist', app.quote_input(p_symbol)),
            'Use the symbol of a known security (market.securities).');
    end if;
    if p_timeframe is null or p_timeframe not in ('1m', '5m', '15m', '1h', '1d', '1w', '1mo') then
        perform app.raise_error('22023', pg_catalog.format('timeframe %s is unknown', app.quote_input(p_timeframe)),
            'Use 1m, 5m, 15m, 1h, 1d, 1w or 1mo.');
    end if;
    if p_start is null or p_end is null or p_start < date '0001-01-01' or p_end > date '9999-12-31' then
        perform app.raise_error('22023', pg_catalog.format('the range %s to %s is not a range of dates from 0001-01-01 '
            || 'to 9999-12-31', coalesce(p_start::text, 'null'), coalesce(p_end::text, 'null')),
            'Pass two finite dates (UTC days), p_start on or before p_end.');
    end if;
    if p_start > p_end then
        perform app.raise_error('22023', pg_catalog.format('the range starts (%s) after it ends (%s)', p_start, p_end),
            'Pass p_start on or before p_end.');
    end if;
    perform trading.checked_number(p_initial_capital, 'p_initial_capital', 0.01, app.max_amount(), 8);
    perform trading.checked_number(p_commission, 'p_commission (a fraction of each fill''s notional)', 0,
        0.09999999, 8);
    return v_security_id;
end
$$;

comment on function strategy.checked_run_inputs(strategy.strategies, text, date, date, numeric, numeric, text) is
'The security id of p_symbol after checking a backtest''s or a sweep''s inputs: the strategy active, the symbol '
'known (P0002), the timeframe one of 1m, 5m, 15m, 1h, 1d, 1w, 1mo, p_start on or before p_end, the capital from '
'0.01 to app.max_amount() and the commission from 0 below 0.1 (22023).';
