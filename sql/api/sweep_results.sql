create or replace view api.sweep_results with (security_invoker = true) as
select
    r.sweep_id,
    r.rank,
    r.combination_no,
    r.parameters,
    r.final_equity,
    r.return_pct,
    r.buy_hold_return_pct,
    r.max_drawdown_pct,
    r.closed_trades,
    r.winning_trades,
    r.losing_trades,
    r.win_rate_pct,
    r.profit_factor,
    r.avg_trade_pct,
    r.best_trade_pct,
    r.worst_trade_pct,
    r.commissions,
    r.exposure_pct,
    r.sharpe_ratio,
    r.sortino_ratio,
    r.calmar_ratio
from strategy.sweep_results as r;

comment on view api.sweep_results is
'The combinations of your sweeps with their figures (as api.backtests''), rank 1 the best by the sweep''s rank_by.';
