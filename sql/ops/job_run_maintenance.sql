-- depends: ops/run_maintenance.sql
-- The run_maintenance job: retention as of the end of the day that ended.
create or replace function ops.job_run_maintenance(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform p_period_start;
    return (select coalesce(sum(m.removed), 0)::bigint from ops.run_maintenance(p_period_end) as m);
end
$$;

comment on function ops.job_run_maintenance(timestamptz, timestamptz) is
'Job run_maintenance: ops.run_maintenance(p_period_end); returns the rows and partitions removed in all.';
