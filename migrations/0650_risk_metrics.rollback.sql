-- Undo 0650. The api view over the table (api.risk_metrics) goes with it, cascade; tradebase migrate
-- re-creates it from sql/ once the table is back.
set local role tradebase_owner;

delete from ops.job_runs
where job_name = 'risk_metrics';
delete from ops.jobs
where name = 'risk_metrics';
drop table risk.metrics cascade;
