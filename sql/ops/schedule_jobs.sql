-- Puts ops.jobs into pg_cron: one cron entry named tradebase.<job> per enabled job, calling
-- ops.run_job(<job>) on its schedule; entries of disabled or removed jobs go. `tradebase migrate` calls it
-- after every deploy, and it is safe to call again at any time (only changes are made and reported).
-- It runs as its caller (not security definer): pg_cron's entries belong to, and run as, the role that
-- schedules them, which must be able to log in (tradebase_owner cannot), and only a superuser may create
-- the extension. Where pg_cron cannot run the jobs it changes nothing and says why in one row: the
-- server lacks it, does not preload it, or runs it in another database (cron.database_name).
create or replace function ops.schedule_jobs()
returns table (job_name text, action text)
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_cron_database text;
    v_cron text;
    v_job record;
    v_jobname text;
    v_command text;
    v_schedule text;
    v_current text;
begin
    if not exists (select from pg_catalog.pg_available_extensions as e where e.name = 'pg_cron') then
        job_name := null;
        action := 'skipped: pg_cron is not installed on this server (Debian: postgresql-15-cron); '
            || 'run ops.run_due_jobs() from tradebase worker instead';
        return next;
        return;
    end if;
    begin
        v_cron_database := pg_catalog.current_setting('cron.database_name', true);
    exception when insufficient_privilege then
        job_name := null;
        action := 'skipped: only a superuser (or pg_read_all_settings) may read cron.database_name; '
            || 'run ops.run_due_jobs() from tradebase worker instead';
        return next;
        return;
    end;
    if coalesce(v_cron_database, '') = '' then
        job_name := null;
        action := 'skipped: pg_cron is installed but not loaded (shared_preload_libraries = ''pg_cron''); '
            || 'run ops.run_due_jobs() from tradebase worker instead';
        return next;
        return;
    end if;
    if v_cron_database <> pg_catalog.current_database() then
        job_name := null;
        action := pg_catalog.format(
            'skipped: pg_cron runs in database %s (cron.database_name), not in %s; '
            || 'run ops.run_due_jobs() from tradebase worker instead',
            v_cron_database, pg_catalog.current_database()
        );
        return next;
        return;
    end if;
    if not exists (select from pg_catalog.pg_extension as e where e.extname = 'pg_cron') then
        if not (select r.rolsuper from pg_catalog.pg_roles as r where r.rolname = current_user) then
            job_name := null;
            action := 'skipped: pg_cron is not created in this database and only a superuser may create it '
                || '(create extension pg_cron)';
            return next;
            return;
        end if;
        create extension pg_cron with schema extensions;
        job_name := null;
        action := 'created extension pg_cron';
        return next;
    end if;

    -- pg_cron's schema (cron: that of its table job), read from the catalog: static names would not
    -- compile where pg_cron is absent.
    select c.relnamespace::regnamespace::text into v_cron
    from pg_catalog.pg_extension as e
    inner join pg_catalog.pg_depend as d
        on d.refclassid = 'pg_catalog.pg_extension'::regclass and d.refobjid = e.oid and d.deptype = 'e'
    inner join pg_catalog.pg_class as c on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
    where e.extname = 'pg_cron' and c.relname = 'job';
    for v_job in select j.name, j.schedule, j.enabled from ops.jobs as j order by j.name loop
        v_jobname := 'tradebase.' || v_job.name;
        v_command := pg_catalog.format('select * from ops.run_job(%L)', v_job.name);
        v_schedule := null;
        v_current := null;
        execute pg_catalog.format(
            'select j.schedule, j.command from %I.job as j where j.jobname = $1 and j.username = current_user', v_cron
        ) into v_schedule, v_current using v_jobname;
        job_name := v_job.name;
        if v_job.enabled then
            continue when v_schedule is not distinct from v_job.schedule and v_current is not distinct from v_command;
            execute pg_catalog.format('select %I.schedule($1, $2, $3)', v_cron) using v_jobname, v_job.schedule, v_command;
            action := 'scheduled ' || v_job.schedule;
            return next;
        elsif v_schedule is not null then
            execute pg_catalog.format('select %I.unschedule($1)', v_cron) using v_jobname;
            action := 'unscheduled (disabled)';
            return next;
        end if;
    end loop;
    -- Entries of jobs no longer registered.
    for v_jobname in
        execute pg_catalog.format(
            'select j.jobname from %I.job as j where j.jobname like ''tradebase.%%'' and j.username = current_user '
            'order by 1', v_cron
        )
    loop
        continue when exists (select from ops.jobs as j where 'tradebase.' || j.name = v_jobname);
        execute pg_catalog.format('select %I.unschedule($1)', v_cron) using v_jobname;
        job_name := pg_catalog.substr(v_jobname, 11);
        action := 'unscheduled (no longer in ops.jobs)';
        return next;
    end loop;
end
$$;

comment on function ops.schedule_jobs() is
'Creates, updates or removes the pg_cron entries (tradebase.<job>: select * from ops.run_job(<job>)) of ops.jobs, '
'creating the pg_cron extension when it is available and this is cron.database_name; one row per change, none '
'when all is in place. Where pg_cron cannot run here, changes nothing and returns one row (null job) saying why. '
'Runs as the caller: tradebase migrate calls it after each deploy.';
