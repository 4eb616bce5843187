"""Scheduled jobs (ops.jobs): concurrent runners run each (job, period) once; pg_cron gets one entry per job
where the server has it (its own throwaway server, cron.database_name = tradebase) and runs it; the server
starts and migrates without pg_cron, and then ops.run_due_jobs is how jobs run."""

import threading
import time

import psycopg
import pytest
from psycopg import sql

from conftest import role_url
from tradebase import cluster, config, db, migrate

RUNNERS = 6
WORKER_LOGIN = 'tb_test_worker'
COMMAND = "select * from ops.run_job('{}')"  # what each pg_cron entry runs


def _worker_login(conn: psycopg.Connection) -> None:
    """A login role of tradebase_worker, the group role job runners use."""
    if not conn.execute('select 1 from pg_roles where rolname = %s', [WORKER_LOGIN]).fetchone():
        conn.execute(sql.SQL('create role {} login').format(sql.Identifier(WORKER_LOGIN)))
    conn.execute(sql.SQL('grant tradebase_worker to {}').format(sql.Identifier(WORKER_LOGIN)))


def _race(url: str, query: str, params: list) -> list[tuple]:
    """RUNNERS connections run QUERY at the same moment; every row they return."""
    barrier = threading.Barrier(RUNNERS)
    rows: list[tuple] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            with psycopg.connect(url, autocommit=True) as c:
                barrier.wait(timeout=30)
                got = c.execute(query, params).fetchall()
            with lock:
                rows.extend(got)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(RUNNERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors
    return rows


def test_concurrent_runners_run_each_job_and_period_once(conn, db_url):
    _worker_login(conn)
    conn.execute('insert into auth.users (email, username) values (%s, %s)', ['jobs@example.com', 'jobs_py'])
    url = role_url(db_url, WORKER_LOGIN)
    jobs = [name for (name,) in conn.execute('select name from ops.jobs where enabled order by name')]
    as_of = conn.execute('select now()').fetchone()[0]

    rows = _race(url, 'select job_name, status from ops.run_due_jobs(%s)', [as_of])
    succeeded = sorted(job for job, status in rows if status == 'succeeded')
    assert succeeded == jobs, rows  # each job once, whoever ran it
    assert {status for _, status in rows} <= {'succeeded', 'already_run'}, rows
    runs = conn.execute('select job_name, attempts, status, run_by from ops.job_runs order by 1').fetchall()
    assert runs == [(job, 1, 'succeeded', WORKER_LOGIN) for job in jobs]

    # pg_cron's path (ops.run_job) races the same way; the period is done, so nobody runs it again.
    rows = _race(db_url, "select status from ops.run_job('snapshot_accounts', %s)", [as_of])
    assert [status for (status,) in rows] == ['already_run'] * RUNNERS
    assert conn.execute('select count(*) from ops.job_runs').fetchone()[0] == len(jobs)

    # A later period: again once each.
    later = conn.execute("select %s::timestamptz + interval '1 hour'", [as_of]).fetchone()[0]
    conn.execute("update auth.settings set value = '7200' where name = 'clock_skew_seconds'")
    rows = _race(db_url, "select status from ops.run_job('expire_orders', %s)", [later])
    statuses = sorted(status for (status,) in rows)
    if later.date() == as_of.date():  # the same UTC day: its period has run already
        assert statuses == ['already_run'] * RUNNERS
    else:
        assert statuses == ['already_run'] * (RUNNERS - 1) + ['succeeded']
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def test_the_worker_role_may_run_the_due_jobs_only(conn, db_url):
    _worker_login(conn)
    granted = conn.execute(
        """
        select p.oid::regprocedure::text from pg_proc as p
        where has_function_privilege('tradebase_worker', p.oid, 'execute')
            and p.pronamespace::regnamespace::text in ('ops', 'api', 'trading', 'auth', 'app', 'notify')
            and not has_function_privilege('public', p.oid, 'execute')
        """
    ).fetchall()
    # tradebase worker runs the due jobs and the event outbox's consumers (docs/events.md), and may act as
    # a system actor, nothing else.
    assert sorted(granted) == [
        ('app.act_as_system(text)',),
        ('notify.consume(text,integer)',),
        ('notify.runnable_consumers()',),
        ('ops.run_due_jobs(timestamp with time zone)',),
    ]
    with (
        psycopg.connect(role_url(db_url, WORKER_LOGIN), autocommit=True) as worker,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        worker.execute("select * from ops.run_job('expire_orders')")
    login = conn.execute("select rolcanlogin from pg_roles where rolname = 'tradebase_worker'").fetchone()[0]
    assert not login  # a group role: runners log in as its members
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def test_the_cluster_preloads_pg_cron_only_when_installed(monkeypatch, tmp_path):
    # Settings only: a Cluster on pytest's tmp_path (Cluster.temporary would leave a directory in /tmp).
    monkeypatch.setattr(cluster, 'pg_cron_installed', lambda bindir=None: False)
    assert 'shared_preload_libraries' not in cluster.Cluster(tmp_path).settings()
    monkeypatch.setattr(cluster, 'pg_cron_installed', lambda bindir=None: True)
    settings = cluster.Cluster(tmp_path).settings()
    assert settings['shared_preload_libraries'] == "'pg_cron'"
    assert settings['cron.database_name'] == f"'{config.DEFAULT_DBNAME}'"
    assert 'shared_preload_libraries' not in cluster.Cluster(tmp_path, cron=False).settings()


def _fresh_server(cron: bool | None):
    server = cluster.Cluster.temporary(fast=True, cron=cron)
    server.start()
    return server


def _registry(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """The registered jobs (ops.jobs) and their schedules, by name: what each runner should run."""
    return conn.execute('select name, schedule from ops.jobs order by name').fetchall()


def test_the_server_starts_and_migrates_without_pg_cron():
    server = _fresh_server(cron=False)
    try:
        url = server.url()
        lines: list[str] = []
        migrate.migrate(url, echo=lines.append)
        jobs = [line for line in lines if line.startswith('jobs:')]
        assert len(jobs) == 1 and jobs[0].startswith('jobs: skipped: pg_cron is'), jobs
        assert 'ops.run_due_jobs()' in jobs[0]
        with db.connection(url, autocommit=True) as conn:
            assert conn.execute('show shared_preload_libraries').fetchone()[0] == ''
            assert not conn.execute("select 1 from pg_extension where extname = 'pg_cron'").fetchone()
            ran = conn.execute('select job_name, status from ops.run_due_jobs()').fetchall()
            assert sorted(ran) == [(name, 'succeeded') for name, _ in _registry(conn)]
            assert conn.execute('select * from ops.run_due_jobs()').fetchall() == []
            assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
    finally:
        server.destroy()


@pytest.mark.slow  # waits up to a minute for pg_cron's next tick
@pytest.mark.skipif(
    not cluster.pg_cron_installed(),
    reason='pg_cron is not installed on this machine (Debian: apt-get install postgresql-15-cron)',
)
def test_migrate_schedules_the_jobs_in_pg_cron():
    server = _fresh_server(cron=None)  # preloads pg_cron: it is installed
    try:
        url = server.url()  # the tradebase database: cron.database_name
        lines: list[str] = []
        migrate.migrate(url, echo=lines.append)
        with db.connection(url, autocommit=True) as conn:
            registry = _registry(conn)
            assert {'expire_orders', 'run_maintenance', 'snapshot_accounts'} <= {name for name, _ in registry}
            scheduled = [f'jobs: {name}: scheduled {schedule}' for name, schedule in registry]
            assert [line for line in lines if line.startswith('jobs:')] == [
                'jobs: created extension pg_cron',
                *scheduled,
            ]
            entries = 'select jobname, schedule, command, database, active from cron.job order by 1'
            assert conn.execute(entries).fetchall() == [
                (f'tradebase.{job}', schedule, COMMAND.format(job), config.DEFAULT_DBNAME, True)
                for job, schedule in registry
            ]
            # Idempotent: a second migrate and a second call change nothing.
            again: list[str] = []
            migrate.migrate(url, echo=again.append)
            assert again == []
            assert conn.execute('select * from ops.schedule_jobs()').fetchall() == []
            # A changed schedule is updated in place, a disabled job's entry goes, and comes back.
            conn.execute("update ops.jobs set schedule = '2 0 * * *' where name = 'expire_orders'")
            conn.execute("update ops.jobs set enabled = false where name = 'run_maintenance'")
            assert conn.execute('select * from ops.schedule_jobs()').fetchall() == [
                ('expire_orders', 'scheduled 2 0 * * *'),
                ('run_maintenance', 'unscheduled (disabled)'),
            ]
            assert conn.execute('select * from ops.schedule_jobs()').fetchall() == []
            assert conn.execute('select count(*) from cron.job').fetchone()[0] == len(registry) - 1
            conn.execute("update ops.jobs set enabled = true where name = 'run_maintenance'")
            assert conn.execute('select * from ops.schedule_jobs()').fetchall() == [
                ('run_maintenance', 'scheduled 30 3 * * *')
            ]
            # pg_cron really runs them: every minute for one job, then its run is in both logs. pg_cron
            # records a run as it starts ('starting', 'running'), so the wait is for it to end.
            conn.execute("update ops.jobs set schedule = '* * * * *' where name = 'run_maintenance'")
            assert len(conn.execute('select * from ops.schedule_jobs()').fetchall()) == 1
            deadline = time.monotonic() + 90
            while not (
                done := conn.execute(
                    "select status from cron.job_run_details where status not in ('starting', 'running')"
                ).fetchall()
            ):
                assert time.monotonic() < deadline, 'pg_cron finished no run within 90 s'
                time.sleep(1)
            assert done == [('succeeded',)]
            runs = conn.execute('select job_name, status, run_by from ops.job_runs').fetchall()
            assert runs == [('run_maintenance', 'succeeded', cluster.SUPERUSER)]
            assert conn.execute('select * from ops.verify_invariants()').fetchall() == []

        # Another database of the same server: pg_cron does not run there, so nothing is scheduled.
        other = db.create_database(server.url('postgres'), 'tb_jobs_other')
        lines = []
        migrate.migrate(other, echo=lines.append)
        assert [line for line in lines if line.startswith('jobs:')] == [
            'jobs: skipped: pg_cron runs in database tradebase (cron.database_name), not in tb_jobs_other; '
            'run ops.run_due_jobs() from tradebase worker instead'
        ]
    finally:
        server.destroy()


def test_the_demo_shows_the_jobs_and_who_runs_them(db_url, capsys):
    from tradebase import demo

    demo.jobs(db_url)
    out = capsys.readouterr().out
    # This test database is not cron.database_name: pg_cron does not run its jobs, a worker does.
    assert '== scheduled jobs (ops.jobs): no pg_cron: a worker runs select * from ops.run_due_jobs()' in out
    for job in ('expire_orders', 'run_maintenance', 'snapshot_accounts'):
        assert job in out
