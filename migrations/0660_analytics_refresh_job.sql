-- depends: 0520_jobs 0620_snapshot_flows
-- The analysts' materialized views are refreshed daily (issue 15 §4): the refresh_analytics job, after
-- the day's snapshots (5 0 * * *) so a reader of the morning sees the night's book. The views
-- themselves live in sql/analytics/ (behaviour, re-applied by tradebase migrate).
set local role tradebase_owner;

insert into ops.jobs (name, period, schedule, function_name, description) values
(
    'refresh_analytics', 'day', '15 0 * * *', 'ops.job_refresh_analytics',
    'Refresh the analysts'' materialized views concurrently (analytics.portfolio_summary, as api.refresh_analytics).'
);
