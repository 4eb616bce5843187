create or replace view api.backtests with (security_invoker = true) as
select
    b.id,
    b.strategy_id,
    b.strategy_type,
    b.parameters,
    s.symbol,
    b.timeframe,
    b.start_date,
    b.end_date,
    b.initial_capital,
    b.commission,
    b.status,
    b.bars,
    b.first_bar_at,
    b.last_bar_at,
    b.final_equity,
    b.return_pct,
    b.buy_hold_return_pct,
    b.max_drawdown_pct,
    b.closed_trades,
    b.winning_trades,
    b.losing_trades,
    b.win_rate_pct,
    b.profit_factor,
    b.avg_trade_pct,
    b.best_trade_pct,
    b.worst_trade_pct,
    b.commissions,
    b.exposure_pct,
    b.sharpe_ratio,
    b.sortino_ratio,
    b.calmar_ratio,
    b.created_at
from strategy.backtests as b
inner join market.securities as s on b.security_id = s.id;

comment on view api.backtests is
'Your backtests (api.run_backtest): configuration and results; see docs/strategies.md for each figure.';
