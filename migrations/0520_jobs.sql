-- Scheduled jobs in one place (issue 14 §3): the registry of periodic work and one row per job and
-- period run, so a period runs once however many runners (pg_cron, tradebase worker) ask for it.
-- depends: 0440_limits
-- Roles are cluster-wide: created when missing, never dropped (see 0001).
do $roles$
begin
    if not exists (select from pg_roles where rolname = 'tradebase_worker') then
        create role tradebase_worker nologin;
    end if;
end
$roles$;
comment on role tradebase_worker is
'Job runners (tradebase worker) log in as a member of this role: EXECUTE on ops.run_due_jobs only.';

set local role tradebase_owner;

create table ops.jobs (
    name text primary key,
    period text not null,
    schedule text not null,
    function_name text not null,
    enabled boolean not null default true,
    description text not null,
    constraint jobs_name_format_ck check (name ~ '^[a-z][a-z0-9_]*$'),
    constraint jobs_period_ck check (period in ('minute', 'hour', 'day', 'month')),
    constraint jobs_schedule_is_five_cron_fields_ck check (schedule ~ '^\S+( \S+){4}$'),
    constraint jobs_function_name_format_ck check (function_name ~ '^[a-z_]+\.[a-z_][a-z0-9_]*$')
);
comment on table ops.jobs is
'Periodic work (DESIGN §4, Jobs and workers): each job runs once per period, under pg_cron (ops.schedule_jobs) '
'or a worker calling ops.run_due_jobs.';
comment on column ops.jobs.period is
'The unit a run covers: minute, hour, day or month (UTC). A run covers the latest period that has ended.';
comment on column ops.jobs.schedule is
'When pg_cron calls ops.run_job for it: a five-field cron expression (GMT), a little after the period ends.';
comment on column ops.jobs.function_name is
'schema.name of the function the job calls: f(p_period_start timestamptz, p_period_end timestamptz) returns '
'bigint (what it did, e.g. rows written), run as the owner.';
comment on column ops.jobs.enabled is 'False: neither pg_cron nor ops.run_due_jobs runs it (its cron entry is removed).';

create table ops.job_runs (
    job_name text not null constraint job_runs_job_fk references ops.jobs (name) on delete cascade,
    period_start timestamptz not null,
    period_end timestamptz not null,
    status text not null,
    result bigint,
    error text,
    attempts integer not null default 1,
    run_by text not null default session_user,
    started_at timestamptz not null default clock_timestamp(),
    finished_at timestamptz not null default clock_timestamp(),
    constraint job_runs_pk primary key (job_name, period_start),
    constraint job_runs_period_ck check (period_end > period_start),
    constraint job_runs_status_ck check (status in ('succeeded', 'failed')),
    constraint job_runs_failure_has_error_ck check ((status = 'failed') = (error is not null)),
    constraint job_runs_attempts_positive_ck check (attempts > 0)
);
comment on table ops.job_runs is
'One row per job and period: succeeded (never run again) or failed (retried by the next run). The primary key '
'is what makes a period run once under concurrent runners.';
comment on column ops.job_runs.result is 'What the job function returned (rows written, orders expired, ...).';
comment on column ops.job_runs.run_by is 'The session (login) role that ran it: the pg_cron user or the worker login.';
comment on column ops.job_runs.attempts is 'Runs of this period so far, failed ones included.';
create index job_runs_finished_idx on ops.job_runs (finished_at);

insert into ops.jobs (name, period, schedule, function_name, description) values
(
    'expire_orders', 'day', '1 0 * * *', 'ops.job_expire_orders',
    'Expire the day orders of the UTC day that ended (trading.expire_day_orders, as api.expire_orders).'
),
(
    'snapshot_accounts', 'day', '5 0 * * *', 'ops.job_snapshot_accounts',
    'Daily account snapshots of the previous UTC day (trading.snapshot_accounts, as api.snapshot_accounts).'
),
(
    'run_maintenance', 'day', '30 3 * * *', 'ops.job_run_maintenance',
    'Row retention and partition retention (ops.run_maintenance).'
);
