-- A parameter sweep of a strategy (the acting user's or the public catalogue's) over one security's bars
-- (issue 16 §3, docs/strategies.md "Sweeps"): every combination of p_grid backtested with api.run_backtest's
-- execution model in one set-based pass, stored (api.sweeps, api.sweep_results) and returned best first by
-- p_rank_by. The arguments shared with api.run_backtest are checked as it checks them; this adds the grid and
-- the figure to rank by, and strategy.sweep_backtest expands, checks and runs the combinations.
-- depends: strategy/checked_run_inputs.sql
create or replace function api.sweep_backtest(
    p_strategy_id uuid,
    p_symbol text,
    p_start date,
    p_end date,
    p_grid jsonb,
    p_initial_capital numeric default 10000,
    p_commission numeric default 0,
    p_timeframe text default '1d',
    p_rank_by text default 'sharpe_ratio'
)
returns table (
    sweep_id uuid,
    rank integer,
    parameters jsonb,
    final_equity numeric,
    return_pct double precision,
    max_drawdown_pct double precision,
    closed_trades integer,
    win_rate_pct double precision,
    profit_factor double precision,
    sharpe_ratio double precision,
    sortino_ratio double precision,
    calmar_ratio double precision
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid;
    v_strategy strategy.strategies;
    v_security_id uuid;
    v_sweep_id uuid;
begin
    perform auth.require_scope('trade');
    v_user_id := auth.require_user();
    v_strategy := strategy.owned_strategy(p_strategy_id, v_user_id, false);
    if v_strategy.strategy_type not in ('sma_crossover', 'rsi_reversion') then
        perform app.raise_error('22023', pg_catalog.format('strategy %s is of type %s, which has no parameters to '
            || 'sweep', p_strategy_id, v_strategy.strategy_type),
            'Sweep a strategy of type sma_crossover or rsi_reversion (a signals strategy: api.run_backtest).');
    end if;
    v_security_id := strategy.checked_run_inputs(
        v_strategy, p_symbol, p_start, p_end, p_initial_capital, p_commission, p_timeframe
    );
    if p_grid is null or pg_catalog.jsonb_typeof(p_grid) <> 'object' or p_grid = '{}' then
        perform app.raise_error('22023', 'the grid must be a non-empty JSON object',
            'Pass per parameter an array of values or a range, e.g. {"fast": [5, 10], "slow": {"from": 20, "to": 60, '
            || '"step": 10}}.');
    end if;
    if p_rank_by is null or p_rank_by not in (
        'sharpe_ratio', 'sortino_ratio', 'calmar_ratio', 'return_pct', 'max_drawdown_pct', 'win_rate_pct', 'profit_factor'
    ) then
        perform app.raise_error('22023', pg_catalog.format('cannot rank by %s', app.quote_input(p_rank_by)),
            'Rank by sharpe_ratio, sortino_ratio, calmar_ratio, return_pct, max_drawdown_pct, win_rate_pct or '
            || 'profit_factor.');
    end if;
    v_sweep_id := strategy.sweep_backtest(v_user_id, v_strategy.id, v_strategy.strategy_type, v_strategy.parameters,
        v_security_id, p_timeframe, p_start, p_end, p_initial_capital, p_commission, p_grid, p_rank_by);
    return query
    select
        r.sweep_id, r.rank, r.parameters, r.final_equity, r.return_pct, r.max_drawdown_pct, r.closed_trades,
        r.win_rate_pct, r.profit_factor, r.sharpe_ratio, r.sortino_ratio, r.calmar_ratio
    from strategy.sweep_results as r
    where r.sweep_id = v_sweep_id
    order by r.rank;
end
$$;

comment on function api.sweep_backtest(uuid, text, date, date, jsonb, numeric, numeric, text, text) is
'Backtests every combination of p_grid (per parameter an array of values or {"from", "to", "step"}; at most 1,000 '
'combinations) of a sma_crossover or rsi_reversion strategy over the bars of p_symbol and p_timeframe starting on '
'the UTC days p_start to p_end, stores the sweep (api.sweeps, api.sweep_results) and returns its combinations best '
'first by p_rank_by (sharpe_ratio, sortino_ratio, calmar_ratio, return_pct, max_drawdown_pct, win_rate_pct, '
'profit_factor). Impossible combinations (fast >= slow, a window longer than the range) are skipped and listed in '
'api.sweeps.skipped. 22023: as api.run_backtest, a signals strategy, a grid not a non-empty object, an unknown '
'grid parameter, a value neither a non-empty array nor a valid range, over 1,000 combinations, none that can run, '
'an unknown p_rank_by; P0002 unknown strategy or symbol, no bars in the range; 42501 another user''s strategy; '
'TB008 anonymous. Nothing is stored when it fails.';
