-- Undo 0520. The role tradebase_worker is cluster-wide and stays (like the roles of 0001).
set local role tradebase_owner;

drop table ops.job_runs;
drop table ops.jobs;
