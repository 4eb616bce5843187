-- Operators' read-only checks; maintenance functions stay with the owner.
grant usage on schema ops to tradebase_admin;
grant execute on function ops.verify_invariants() to tradebase_admin;
grant execute on function ops.catalog_lint() to tradebase_admin;
-- Jobs (ops.jobs): runners without pg_cron (tradebase worker) log in as members of tradebase_worker and may
-- run the due jobs, nothing else; operators may also run one job or the maintenance by hand.
grant usage on schema ops to tradebase_worker;
grant execute on function ops.run_due_jobs(timestamptz) to tradebase_worker, tradebase_admin;
grant execute on function ops.run_job(text, timestamptz) to tradebase_admin;
grant execute on function ops.run_maintenance(timestamptz) to tradebase_admin;
