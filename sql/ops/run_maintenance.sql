-- depends: ops/partition_retention_plan.sql
-- Row retention (DESIGN §4, the seeds' policies) and partition retention (ops.partitioned_tables), as the
-- owner. A job of ops.jobs (run_maintenance, daily); operators may call it too. Idempotent: a second
-- call at the same p_as_of removes nothing.
create or replace function ops.run_maintenance(p_as_of timestamptz default pg_catalog.now())
returns table (table_name text, removed bigint)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_utc timestamp;
    v_plan record;
    v_statement text;
    v_set text;
    v_count bigint;
    v_first_kept bigint;
begin
    -- Not further ahead than auth.clock_skew(): a run dated ahead would remove rows still kept.
    perform trading.checked_time(p_as_of, 'p_as_of');
    v_utc := p_as_of at time zone 'UTC';

    -- Sessions that expired or were revoked 90 days ago or more.
    delete from auth.user_sessions as s
    where s.revoked_at <= p_as_of - interval '90 days' or s.expires_at <= p_as_of - interval '90 days';
    get diagnostics v_count = row_count;
    table_name := 'auth.user_sessions';
    removed := v_count;
    return next;

    -- Notifications read 30 days ago or more (unread ones stay).
    delete from notify.notifications as n
    where n.read_at <= p_as_of - interval '30 days';
    get diagnostics v_count = row_count;
    table_name := 'notify.notifications';
    removed := v_count;
    return next;

    -- Platform sync logs that started six calendar months ago or more (UTC).
    delete from auth.sync_logs as l
    where l.started_at <= (v_utc - interval '6 months') at time zone 'UTC';
    get diagnostics v_count = row_count;
    table_name := 'auth.sync_logs';
    removed := v_count;
    return next;

    -- Outbox events written 30 days ago or more that every consumer has processed (behind every cursor; a
    -- disabled consumer keeps what it has not seen). The first event to keep is found along the primary key
    -- (ids grow with time), so the daily run reads what it deletes, not the whole outbox.
    select e.id into v_first_kept from notify.events as e
    where e.created_at > p_as_of - interval '30 days' order by e.id limit 1;
    delete from notify.events as e
    where
        (v_first_kept is null or e.id < v_first_kept)
        and e.created_at <= p_as_of - interval '30 days'
        and not exists (select from notify.consumers as c where (e.xid, e.id) > (c.cursor_xid, c.cursor_id));
    get diagnostics v_count = row_count;
    table_name := 'notify.events';
    removed := v_count;
    return next;

    -- Job runs that finished 90 days ago or more (a run only ever looks at the latest period).
    delete from ops.job_runs as r
    where r.finished_at <= p_as_of - interval '90 days';
    get diagnostics v_count = row_count;
    table_name := 'ops.job_runs';
    removed := v_count;
    return next;

    -- Partitions by their registered retention: what `tradebase partitions retention` does, under the
    -- same per-set advisory lock; removed counts the children retired.
    for v_set in
        select t.parent_table from ops.partitioned_tables as t where t.retention is not null order by t.parent_table
    loop
        perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('tradebase.partitions:' || v_set, 0));
        v_count := 0;
        for v_plan in select p.statements from ops.partition_retention_plan(p_as_of, v_set) as p loop
            foreach v_statement in array v_plan.statements loop
                execute v_statement;
            end loop;
            v_count := v_count + 1;
        end loop;
        table_name := v_set || ' (partitions)';
        removed := v_count;
        return next;
    end loop;
end
$$;

comment on function ops.run_maintenance(timestamptz) is
'Retention as of p_as_of: deletes sessions expired or revoked 90+ days ago, notifications read 30+ days ago, sync '
'logs started 6+ months ago, outbox events 30+ days old that every consumer has processed and job runs 90+ days '
'old, and retires partitions past their registered retention '
'(ops.partition_retention_plan). One row per table: what it removed (rows; children for "(partitions)"). '
'Idempotent. 22023 for a p_as_of that is not a time or lies ahead of the clock.';
