-- The analysts' view of account performance (DESIGN §4, issue 15 §3): every user account over its life,
-- as of its last snapshot, through analytics.account_performance (one definition of every figure). No
-- personal data: the account's id, owner's id, kind and currency, never its name or the owner's
-- identity. Owned by the owner and not security_invoker, so the analyst reads it without reading the
-- tables behind it. One function call per account: for a single account, call the function.
-- depends: analytics/account_performance.sql
create or replace view analytics.account_performance as
select
    a.id as account_id,
    a.user_id,
    a.kind,
    a.status,
    a.base_currency,
    p.as_of,
    p.first_day,
    p.last_day,
    p.equity,
    p.return_day,
    p.return_week,
    p.return_month,
    p.return_quarter,
    p.return_year,
    p.return_life,
    p.money_weighted_return,
    p.observations,
    p.volatility,
    p.sharpe_ratio,
    p.sortino_ratio,
    p.max_drawdown,
    p.current_drawdown,
    p.trades,
    p.winning_trades,
    p.losing_trades,
    p.win_rate,
    p.avg_win,
    p.avg_loss,
    p.gross_profit,
    p.gross_loss,
    p.profit_factor,
    p.active_positions,
    p.largest_position_symbol,
    p.largest_position_value,
    p.largest_position_weight,
    p.diversity,
    p.cash_share,
    p.benchmark_symbol,
    p.benchmark_return,
    p.alpha,
    p.beta,
    p.correlation,
    p.reason
from trading.accounts as a
cross join lateral analytics.account_performance(a.id, 'life') as p
where a.kind <> 'system';

comment on view analytics.account_performance is
'Each user account''s performance over its life as of its last snapshot (analytics.account_performance): '
'time-weighted returns over the day, week, month, quarter, year and life, risk and trade statistics, holdings '
'and benchmark figures, with a reason where a figure is NULL. No names or contact data.';
