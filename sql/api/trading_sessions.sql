create or replace view api.trading_sessions with (security_invoker = true) as
select
    s.id,
    s.account_id,
    s.started_at,
    s.ended_at,
    s.cash_at_start,
    s.cash_at_end,
    s.orders_count,
    s.filled_orders,
    s.realized_pnl,
    s.max_drawdown
from trading.trading_sessions as s;

comment on view api.trading_sessions is
'Trading sessions of your accounts; results (orders, P&L, drawdown) are filled in when a session ends.';
