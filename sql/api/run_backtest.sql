-- A backtest of a strategy (the acting user's or the public catalogue's) over one security's bars, run
-- now and stored whole (issue 16 §2, DESIGN §5 "Backtests"; docs/strategies.md): returns the id of its
-- api.backtests row. This checks the caller and every argument that needs no bars; strategy.run_backtest
-- computes and stores it (and refuses a range without bars, P0002, or too short for the strategy, 22023).
-- Synchronous: a backtest over 500,000 bars is one statement-sized call, not a job.
create or replace function api.run_backtest(
    p_strategy_id uuid,
    p_symbol text,
    p_start date,
    p_end date,
    p_initial_capital numeric default 10000,
    p_commission numeric default 0,
    p_timeframe text default '1d'
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid;
    v_strategy strategy.strategies;
    v_security_id uuid;
begin
    perform auth.require_scope('trade');
    v_user_id := auth.require_user();
    v_strategy := strategy.owned_strategy(p_strategy_id, v_user_id, false);
    if v_strategy.strategy_type not in ('sma_crossover', 'rsi_reversion', 'signals') then
        perform app.raise_error('22023', pg_catalog.format('strategy %s is of type %s, which is descriptive and cannot '
            || 'be backtested', p_strategy_id, v_strategy.strategy_type),
            'Backtest a strategy of type sma_crossover, rsi_reversion or signals.');
    end if;
    if not v_strategy.is_active then
        perform app.raise_error('22023', pg_catalog.format('strategy %s is inactive', p_strategy_id),
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
    return strategy.run_backtest(v_user_id, v_strategy.id, v_strategy.strategy_type, v_strategy.parameters,
        v_security_id, p_timeframe, p_start, p_end, p_initial_capital, p_commission);
end
$$;

comment on function api.run_backtest(uuid, text, date, date, numeric, numeric, text) is
'Runs a backtest of a strategy (yours or the public catalogue''s) over the bars of p_symbol and p_timeframe starting '
'on the UTC days p_start to p_end, and returns its id (api.backtests, api.backtest_trades, api.backtest_equity). '
'22023: null or descriptive or inactive strategy, null symbol, unknown timeframe, a range not of finite dates or '
'starting after it ends or shorter than the strategy''s window, capital outside 0.01 to 10^15, commission outside '
'[0, 0.1) or with more than 8 decimals; P0002 unknown strategy or symbol, no bars in the range; 42501 another '
'user''s strategy; TB008 anonymous. Nothing is stored when it fails.';
