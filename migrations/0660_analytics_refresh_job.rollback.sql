-- Undo 0660: the job's row. The analysts' views go too (tradebase migrate re-creates them from
-- sql/analytics/): they read columns that the rollbacks before this one drop or retype
-- (trading.account_snapshots.net_flow in 0620, trading.orders.source in 0560, the amounts 0440 widened),
-- which a view on them would block. Rolled back alone, without the sql/ objects, there is nothing to drop.
set local role tradebase_owner;

drop view if exists
analytics.top_holdings,
analytics.positions_valued,
analytics.daily_equity,
analytics.trade_stats,
analytics.order_flow,
analytics.exposure
cascade;
drop materialized view if exists analytics.portfolio_summary cascade;

delete from ops.jobs
where name = 'refresh_analytics';
