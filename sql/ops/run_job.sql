-- depends: ops/job_period.sql app/leave_system_actor.sql
-- Runs one job of ops.jobs for the latest period that has ended at p_as_of, at most once per period:
-- the (job, period) row of ops.job_runs is claimed with insert … on conflict, so a concurrent runner waits
-- for the first one's commit and then finds the period done. A failure is recorded (status failed, the
-- error) and retried by the next call; it never stops the caller's other jobs. Runs as the owner and as
-- the job's system actor (ops.jobs.actor, app.enter_system_actor): audit rows of the job's changes carry that
-- actor and application_name 'tradebase scheduler: <job>', each run is logged as the audit event
-- job_run, and the caller's own context is back when it returns.
create or replace function ops.run_job(p_name text, p_as_of timestamptz default pg_catalog.now())
returns table (
    job_name text, period_start timestamptz, period_end timestamptz, status text, result bigint, error text
)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_job ops.jobs;
    v_claimed boolean;
    v_application_name text := pg_catalog.current_setting('application_name');
    v_caller text;
begin
    -- A point in time (the same 22023 as ops.run_due_jobs' for null or infinite), not further ahead than
    -- auth.clock_skew(): a run dated ahead would claim a period not yet ended.
    perform trading.checked_time(p_as_of, 'p_as_of');
    select j.* into v_job from ops.jobs as j where j.name = p_name;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('no job named %s', app.quote_input(p_name)),
            'See ops.jobs for the registered jobs.');
    end if;
    job_name := v_job.name;
    select p.period_start, p.period_end into period_start, period_end from ops.job_period(v_job.period, p_as_of) as p;
    if not v_job.enabled then
        status := 'disabled';
        return next;
        return;
    end if;

    insert into ops.job_runs as r (job_name, period_start, period_end, status, error)
    values (v_job.name, period_start, period_end, 'failed', 'did not finish')
    on conflict on constraint job_runs_pk do update
    set attempts = r.attempts + 1, started_at = pg_catalog.clock_timestamp(), run_by = session_user
    where r.status = 'failed'
    returning true into v_claimed;
    if v_claimed is null then
        status := 'already_run';
        return next;
        return;
    end if;

    v_caller := app.enter_system_actor(v_job.actor);
    perform pg_catalog.set_config('application_name', 'tradebase scheduler: ' || v_job.name, true);
    begin
        execute pg_catalog.format('select %I.%I($1, $2)', pg_catalog.split_part(v_job.function_name, '.', 1),
            pg_catalog.split_part(v_job.function_name, '.', 2))
        into result using period_start, period_end;
        status := 'succeeded';
    exception when others then
        get stacked diagnostics error = message_text;
        error := coalesce(nullif(error, ''), 'failed');
        status := 'failed';
        result := null;
    end;
    perform pg_catalog.set_config('application_name', v_application_name, true);

    update ops.job_runs as r
    set status = run_job.status, result = run_job.result, error = run_job.error,
        finished_at = pg_catalog.clock_timestamp()
    where r.job_name = v_job.name and r.period_start = run_job.period_start;
    perform audit.log_event('job_run', null, pg_catalog.jsonb_build_object(
        'job', v_job.name, 'period_start', period_start, 'period_end', period_end,
        'status', status, 'result', result, 'error', error
    ));
    perform app.leave_system_actor(v_caller);
    return next;
end
$$;

comment on function ops.run_job(text, timestamptz) is
'Runs job p_name for the latest period ended at p_as_of, once per period (ops.job_runs): one row with status '
'succeeded, failed (recorded with the error; the next call retries), already_run or disabled. Called by pg_cron '
'(ops.schedule_jobs) and ops.run_due_jobs. P0002 for an unknown job, 22023 for a p_as_of that is not a time or '
'lies ahead of the clock.';
