create or replace view api.backtest_trades with (security_invoker = true) as
select
    t.backtest_id,
    t.trade_no,
    t.size,
    t.entry_bar,
    t.entry_at,
    t.entry_price,
    t.exit_bar,
    t.exit_at,
    t.exit_price,
    t.pnl,
    t.return_pct,
    t.commission,
    t.exit_bar is not null as is_closed
from strategy.backtest_trades as t;

comment on view api.backtest_trades is
'The trades of your backtests in order (size negative for a short); the one still open after the last bar has '
'no exit and is not counted as closed.';
