-- The audit log is for support staff (RLS policy log_select_admin); apps and analysts see none of it.
grant usage on schema audit to tradebase_admin;
grant select on audit.log to tradebase_admin;
