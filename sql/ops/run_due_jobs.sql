-- depends: ops/run_job.sql
-- What a runner without pg_cron calls (tradebase worker, cron(8), an operator): every enabled job whose
-- latest ended period has not run yet, each once per period however many runners call it at once, in
-- the order of their schedules.
create or replace function ops.run_due_jobs(p_as_of timestamptz default pg_catalog.now())
returns table (
    job_name text, period_start timestamptz, period_end timestamptz, status text, result bigint, error text
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_name text;
begin
    if p_as_of is null or not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', pg_catalog.format('p_as_of must be a point in time, got %s',
            coalesce(p_as_of::text, 'null')), 'Pass a finite timestamp with a time zone.');
    end if;
    for v_name in
        select j.name from ops.jobs as j
        where j.enabled
            and not exists (
                select from ops.job_runs as r
                where r.job_name = j.name and r.status = 'succeeded'
                    and r.period_start = (select p.period_start from ops.job_period(j.period, p_as_of) as p)
            )
        -- In the order pg_cron would start them on a day (hour, then minute, of the schedule; names last):
        -- a job that reads another's output (risk_metrics reads snapshot_accounts' snapshots) is scheduled
        -- after it, and a runner that catches up on a day runs them in the same order.
        order by
            case when pg_catalog.split_part(j.schedule, ' ', 2) ~ '^\d+$' then pg_catalog.split_part(j.schedule, ' ', 2)::integer end,
            case when pg_catalog.split_part(j.schedule, ' ', 1) ~ '^\d+$' then pg_catalog.split_part(j.schedule, ' ', 1)::integer end,
            j.name
    loop
        return query select * from ops.run_job(v_name, p_as_of);
    end loop;
end
$$;

comment on function ops.run_due_jobs(timestamptz) is
'Runs every enabled job of ops.jobs whose latest period ended at p_as_of has not succeeded yet (ops.run_job: '
'once per period, failures recorded and retried), in the order of their schedules (hour, minute, then name); one row per job it tried, none when nothing is due. For '
'runners without pg_cron: tradebase worker calls it every few seconds (member of tradebase_worker, which may '
'execute only this). 22023 for a p_as_of that is not a time or lies ahead of the clock.';
