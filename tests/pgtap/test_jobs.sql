-- Scheduled jobs (ops.jobs, ops.job_runs): the registry, periods, ops.run_job and ops.run_due_jobs once per
-- period (a second run does nothing), failures recorded and retried, disabled jobs, the runners' privileges,
-- ops.schedule_jobs where pg_cron does not run, ops.run_maintenance's retention (twice: the second removes
-- nothing) and ops.partition_retention_plan.
begin;
select plan(53);
-- Runs here are stamped up to 2 days ahead of the transaction's start to play time forward.
update auth.settings set value = '604800' where name = 'clock_skew_seconds';

-- 1. The registry.
select ok(
    array['expire_orders', 'run_maintenance', 'snapshot_accounts'] <@ array(
        select name from ops.jobs where period = 'day' and enabled
    ),
    'expiring day orders, daily snapshots and the maintenance are registered, daily'
);
select is_empty(
    $$ select name from ops.jobs
       where pg_catalog.to_regprocedure(function_name || '(timestamptz, timestamptz)') is null $$,
    'every job names a function f(p_period_start, p_period_end)'
);
select throws_ok(
    $$ insert into ops.jobs (name, period, schedule, function_name, description)
       values ('weekly', 'week', '0 0 * * 1', 'ops.job_run_maintenance', 'x') $$,
    '23514', null, 'a period is a minute, hour, day or month'
);
select throws_ok(
    $$ insert into ops.jobs (name, period, schedule, function_name, description)
       values ('bad_cron', 'day', 'daily', 'ops.job_run_maintenance', 'x') $$,
    '23514', null, 'a schedule is five cron fields'
);

-- 2. Periods: the latest one that has ended, in UTC.
select results_eq(
    $$ select * from ops.job_period('day', '2026-03-10 00:30+00') $$,
    $$ values ('2026-03-09 00:00+00'::timestamptz, '2026-03-10 00:00+00'::timestamptz) $$,
    'half past midnight: the day before'
);
select results_eq(
    $$ select * from ops.job_period('day', '2026-03-10 23:30-05') $$,
    $$ values ('2026-03-10 00:00+00'::timestamptz, '2026-03-11 00:00+00'::timestamptz) $$,
    'days are UTC days, whatever the offset of p_as_of'
);
select results_eq(
    $$ select * from ops.job_period('hour', '2026-03-10 07:59:59+00') $$,
    $$ values ('2026-03-10 06:00+00'::timestamptz, '2026-03-10 07:00+00'::timestamptz) $$,
    'hours'
);
select results_eq(
    $$ select * from ops.job_period('month', '2026-03-01 00:00+00') $$,
    $$ values ('2026-02-01 00:00+00'::timestamptz, '2026-03-01 00:00+00'::timestamptz) $$,
    'months: at the boundary the month that just ended'
);
select results_eq(
    $$ select * from ops.job_period('minute', '2026-03-10 07:00:10+00') $$,
    $$ values ('2026-03-10 06:59+00'::timestamptz, '2026-03-10 07:00+00'::timestamptz) $$,
    'minutes'
);

-- 3. A user with a resting day order (it expires at the next UTC midnight) and a quote.
insert into auth.users (email, username) values ('jobs-a@example.com', 'jobs_a');
create temporary table t as
select
    (select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'jobs_a') as a,
    (select u.id from auth.users as u where u.username = 'jobs_a') as ua;
do $$ begin perform api.upsert_security('JOBS', 'Jobs Inc', 'stock'); end $$;
do $$ begin perform api.record_price('JOBS', 100, now() - interval '1 hour'); end $$;
do $$ begin perform api.act_as((select ua from t)); end $$;
create temporary table o as
select (api.execute_paper_trade((select a from t), 'JOBS', 'buy', 1, 'limit', 50)).id as day_order;

-- 4. Every job due now runs once: yesterday's period.
create temporary table first_run as select * from ops.run_due_jobs(now());
select results_eq(
    $$ select job_name, status, period_end from first_run order by job_name $$,
    $$ select name, 'succeeded'::text, date_trunc('day', now(), 'UTC') from ops.jobs order by name $$,
    'run_due_jobs runs every enabled job for the day that ended'
);
select is((select result from first_run where job_name = 'expire_orders'), 0::bigint,
    'the day order placed today does not expire yet');
select is(
    (select result from first_run where job_name = 'snapshot_accounts'),
    (select count(*) from trading.account_snapshots
     where snapshot_date = (date_trunc('day', now(), 'UTC') - interval '1 day')::date),
    'the snapshots of the previous UTC day were written'
);
select ok((select result from first_run where job_name = 'snapshot_accounts') > 0, 'at least the new account');
select results_eq(
    $$ select count(*)::integer, bool_and(status = 'succeeded' and attempts = 1 and error is null) from ops.job_runs $$,
    $$ select count(*)::integer, true from ops.jobs $$,
    'one run row per job and period'
);
select results_eq(
    $$ select job_name from ops.job_runs order by started_at $$,
    $$ select name from ops.jobs
       order by split_part(schedule, ' ', 2)::integer, split_part(schedule, ' ', 1)::integer, name $$,
    'run_due_jobs runs the jobs in the order of their schedules (so a job runs after the snapshots it reads)'
);

-- 5. The same period twice does nothing.
select is_empty($$ select * from ops.run_due_jobs(now()) $$, 'a second run_due_jobs of the same period runs nothing');
select results_eq(
    $$ select status, result from ops.run_job('snapshot_accounts', now()) $$,
    $$ values ('already_run'::text, null::bigint) $$,
    'run_job of a period already run reports it and does nothing'
);
select is((select count(*)::integer from ops.job_runs), (select count(*)::integer from ops.jobs),
    'still one row per job and period');
select results_eq(
    $$ select l.detail ->> 'job', l.actor from audit.log as l where l.event = 'job_run' order by 1 $$,
    $$ select name, actor from ops.jobs order by name $$,
    'each run is audited under its job''s actor (the scheduler unless the job names another)'
);

-- 6. Two days on the day order's day has ended: the expire_orders job expires it, once.
select results_eq(
    $$ select status, result from ops.run_job('expire_orders', now() + interval '2 days') $$,
    $$ values ('succeeded'::text, 1::bigint) $$,
    'the expire_orders job expires the day order'
);
select is((select status::text from trading.orders where id = (select day_order from o)), 'expired', 'it is expired');
select results_eq(
    $$ select status from ops.run_job('expire_orders', now() + interval '2 days') $$,
    $$ values ('already_run'::text) $$,
    'the same period again does nothing'
);

-- 7. A failing run is recorded and retried by the next call (snapshots of a day after today are refused).
select results_eq(
    $$ select status, error like 'p_date must be a day from 1970-01-01 up to today%' from ops.run_job('snapshot_accounts', now() + interval '2 days') $$,
    $$ values ('failed'::text, true) $$,
    'a job that raises is reported failed with its error, not raised'
);
select results_eq(
    $$ select r.status, r.attempts, r.error is not null from ops.job_runs as r
       where r.job_name = 'snapshot_accounts' and r.period_end = date_trunc('day', now() + interval '2 days', 'UTC') $$,
    $$ values ('failed'::text, 1, true) $$,
    'the failure is recorded'
);
select is((select status from ops.run_job('snapshot_accounts', now() + interval '2 days')), 'failed', 'and retried');
select is(
    (select r.attempts from ops.job_runs as r
     where r.job_name = 'snapshot_accounts' and r.period_end = date_trunc('day', now() + interval '2 days', 'UTC')),
    2, 'a retry counts as an attempt'
);

-- 8. A disabled job does not run.
update ops.jobs set enabled = false where name = 'run_maintenance';
select results_eq(
    $$ select status from ops.run_job('run_maintenance', now() + interval '1 day') $$,
    $$ values ('disabled'::text) $$,
    'run_job of a disabled job runs nothing'
);
select is_empty(
    $$ select * from ops.run_due_jobs(now() + interval '1 day') where job_name = 'run_maintenance' $$,
    'run_due_jobs leaves a disabled job out'
);
update ops.jobs set enabled = true where name = 'run_maintenance';

-- 9. Errors.
select throws_ok($$ select * from ops.run_job('nope') $$, 'P0002', null, 'an unknown job');
select throws_ok($$ select * from ops.run_job('expire_orders', null) $$, '22023', null, 'run_job needs a time');
select throws_ok($$ select * from ops.run_job('expire_orders', 'infinity') $$, '22023', null, 'a finite one');
select throws_ok(
    $$ select * from ops.run_job('expire_orders', now() + interval '30 days') $$, '22023', null,
    'not further ahead of the clock than clock_skew_seconds'
);
select throws_ok($$ select * from ops.run_due_jobs(null) $$, '22023', null, 'run_due_jobs needs a time');
select throws_ok(
    $$ select * from ops.run_due_jobs(now() + interval '30 days') $$, '22023', null, 'run_due_jobs: not ahead'
);
select throws_ok($$ select * from ops.run_maintenance(null) $$, '22023', null, 'run_maintenance needs a time');
select throws_ok(
    $$ select * from ops.run_maintenance(now() + interval '30 days') $$, '22023', null, 'run_maintenance: not ahead'
);
select throws_ok($$ select * from ops.partition_retention_plan(null) $$, '22023', null, 'the plan needs a time');

-- 10. Who may run jobs: tradebase_worker only run_due_jobs; apps nothing.
set local role tradebase_worker;
select lives_ok(
    $$ select * from ops.run_due_jobs(now() + interval '1 day') $$, 'tradebase_worker may run the due jobs'
);
select throws_ok($$ select * from ops.run_job('expire_orders') $$, '42501', null, 'but not one job by hand');
select throws_ok($$ select * from ops.run_maintenance() $$, '42501', null, 'nor the maintenance');
reset role;
set local role tradebase_app;
select throws_ok($$ select * from ops.run_due_jobs(now()) $$, '42501', null, 'an app may not run jobs');
reset role;

-- 11. Here pg_cron does not run (not installed, not loaded, or in another database): nothing is scheduled.
select results_eq(
    $$ select count(*)::integer, bool_and(job_name is null and action like 'skipped: %') from ops.schedule_jobs() $$,
    $$ values (1, true) $$,
    'schedule_jobs changes nothing and says why'
);
select results_eq(
    $$ select count(*)::integer from ops.schedule_jobs() $$, $$ values (1) $$, 'twice: the same'
);

-- 12. run_maintenance: the seeds' retention. Sessions expired or revoked 90+ days ago, notifications read
-- 30+ days ago, sync logs started 6+ months ago go; the rest stays.
insert into auth.user_sessions (user_id, token_hash, created_at, expires_at, revoked_at) values
((select ua from t), '\x01', now() - interval '200 days', now() - interval '100 days', null),
((select ua from t), '\x02', now() - interval '200 days', now() + interval '1 day', now() - interval '91 days'),
((select ua from t), '\x03', now() - interval '200 days', now() - interval '89 days', null),
((select ua from t), '\x04', now() - interval '200 days', now() + interval '1 day', now() - interval '10 days'),
((select ua from t), '\x05', now() - interval '1 day', now() + interval '1 day', null);
insert into notify.notifications (user_id, kind, title, message, read_at, created_at) values
((select ua from t), 'system', 'old read', 'm', now() - interval '31 days', now() - interval '60 days'),
((select ua from t), 'system', 'recent read', 'm', now() - interval '29 days', now() - interval '60 days'),
((select ua from t), 'system', 'old unread', 'm', null, now() - interval '400 days');
insert into auth.platform_connections (user_id, platform) values ((select ua from t), 'jobsbroker');
insert into auth.sync_logs (connection_id, user_id, sync_type, status, started_at, completed_at)
select c.id, c.user_id, 'manual', 'completed', s.started_at, s.started_at + interval '1 minute'
from auth.platform_connections as c
cross join (values (now() - interval '7 months'), (now() - interval '5 months')) as s (started_at)
where c.platform = 'jobsbroker';
-- An old child of market.market_data, and a retention of one year for it.
create table market.market_data_p2020_01 partition of market.market_data
for values from ('2020-01-01 00:00+00') to ('2020-02-01 00:00+00');
update ops.partitioned_tables set retention = interval '1 year', retention_mode = 'detach'
where parent_table = 'market.market_data';

-- Outbox events: one 31 days old and processed by every consumer, one as old that the wakeups consumer has
-- not reached yet (its cursor stays before it), one recent. Only the first goes. (The events of the orders
-- above go first: their ids are older than these backdated ones, and ids grow with time in a real outbox.)
delete from notify.events;
insert into notify.events (user_id, kind, title, message, created_at) values
((select ua from t), 'system', 'old processed', 'm', now() - interval '31 days'),
((select ua from t), 'system', 'old unseen', 'm', now() - interval '31 days'),
((select ua from t), 'system', 'recent', 'm', now() - interval '1 day');
update notify.consumers set cursor_xid = pg_current_xact_id(), cursor_id = (
    select id from notify.events where title = 'old processed'
) where name = 'wakeups';
update notify.consumers set cursor_xid = pg_current_xact_id(), cursor_id = (
    select max(id) from notify.events
) where name = 'notifications';

-- One job run that finished 91 days ago.
update ops.job_runs set started_at = now() - interval '91 days', finished_at = now() - interval '91 days'
where job_name = 'expire_orders' and period_end = date_trunc('day', now() + interval '2 days', 'UTC');

select results_eq(
    $$ select child, mode, statements from ops.partition_retention_plan(now()) $$,
    $$ values ('market.market_data_p2020_01'::text, 'detach'::text,
               array['alter table market.market_data detach partition market.market_data_p2020_01']) $$,
    'the retention plan: the old child, by its real bounds, detached'
);
select is_empty(
    $$ select * from ops.partition_retention_plan(now(), 'audit.log') $$, 'a set without retention keeps all'
);
select results_eq(
    $$ select table_name, removed from ops.run_maintenance(now()) order by table_name $$,
    $$ values ('auth.sync_logs'::text, 1::bigint), ('auth.user_sessions', 2), ('market.market_data (partitions)', 1),
              ('notify.events', 1), ('notify.notifications', 1), ('ops.job_runs', 1) $$,
    'run_maintenance removes what is past retention and says how much per table'
);
select results_eq(
    $$ select count(*)::integer from auth.user_sessions where user_id = (select ua from t) $$, $$ values (3) $$,
    'the sessions still inside 90 days stay'
);
select results_eq(
    $$ select title from notify.notifications where user_id = (select ua from t) and kind = 'system' order by title $$,
    $$ values ('old unread'::text), ('recent read') $$,
    'unread and recently read notifications stay'
);
select results_eq(
    $$ select title from notify.events where title in ('old processed', 'old unseen', 'recent') order by title $$,
    $$ values ('old unseen'::text), ('recent') $$,
    'an outbox event goes once every consumer has processed it and it is 30 days old'
);
select is_empty(
    $$ select from pg_catalog.pg_inherits where inhrelid = 'market.market_data_p2020_01'::regclass $$,
    'the old child is detached (it stays as a table)'
);
select results_eq(
    $$ select sum(removed)::integer from ops.run_maintenance(now()) $$, $$ values (0) $$,
    'a second run_maintenance removes nothing'
);
select results_eq(
    $$ select count(*)::integer from ops.run_maintenance(now() - interval '1 day') where removed > 0 $$,
    $$ values (0) $$, 'nor does one as of an earlier time'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');

select * from finish();
rollback;
