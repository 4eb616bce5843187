create or replace view api.backtest_equity with (security_invoker = true) as
select
    e.backtest_id,
    e.bar_no,
    e.ts,
    e.close,
    e.position,
    e.equity,
    e.drawdown_pct
from strategy.backtest_equity as e;

comment on view api.backtest_equity is 'The equity curve of your backtests: equity and drawdown at every bar''s close.';
