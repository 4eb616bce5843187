-- A backtest of a strategy (the acting user's or the public catalogue's) over one security's bars, run
-- now and stored whole (issue 16 §2, DESIGN §5 "Backtests"; docs/strategies.md): returns the id of its
-- api.backtests row. This checks the caller and every argument that needs no bars; strategy.run_backtest
-- computes and stores it (and refuses a range without bars, P0002, or too short for the strategy, 22023).
-- Synchronous: a backtest over 500,000 bars is one statement-sized call, not a job.
-- depends: strategy/checked_run_inputs.sql
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
    v_security_id := strategy.checked_run_inputs(
        v_strategy, p_symbol, p_start, p_end, p_initial_capital, p_commission, p_timeframe
    );
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
