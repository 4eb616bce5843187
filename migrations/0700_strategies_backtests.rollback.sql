-- Undo 0700: strategies, signals and backtests. Cascade drops the sql/ objects built on them (policies,
-- api views); migrate re-creates those when the migration is re-applied.
set local role tradebase_owner;

drop table strategy.backtest_equity cascade;
drop table strategy.backtest_trades cascade;
drop table strategy.backtests cascade;
drop table strategy.signals cascade;
drop table strategy.strategies cascade;
