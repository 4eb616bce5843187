create or replace view api.strategies with (security_invoker = true) as
select
    s.id,
    s.user_id,
    s.user_id is null as is_public,
    s.name,
    s.description,
    s.strategy_type,
    s.strategy_type in ('sma_crossover', 'rsi_reversion', 'signals') as is_backtestable,
    s.parameters,
    s.symbols,
    s.category,
    s.risk_level,
    s.min_capital,
    s.expected_annual_return_pct,
    s.expected_max_drawdown_pct,
    s.is_active,
    s.created_at,
    s.updated_at
from strategy.strategies as s;

comment on view api.strategies is
'Your strategies and the public catalogue (is_public), with their type, parameters and whether api.run_backtest '
'can run them.';
