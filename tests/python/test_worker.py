"""`tradebase worker` (docs/events.md): it runs the outbox's consumers as a subprocess against the
module's database; a fill's notification shows within a second; SIGKILL mid-batch loses nothing and
applies nothing twice; SIGTERM stops it cleanly."""

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from conftest import role_url
from tradebase import worker as worker_module
from tradebase.client import Client

PASSWORD = 'correct horse battery staple'


def start_worker(db_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, 'DATABASE_URL': db_url}
    return subprocess.Popen(
        [sys.executable, '-m', 'tradebase.cli', 'worker', *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


WORKER_BACKENDS = (
    "select count(*) from pg_stat_activity where application_name = 'tradebase worker'"
    ' and datname = current_database()'
)


def scalar(conn, query: str, params=None):
    return conn.execute(query, params).fetchone()[0]


def wait_for(predicate, timeout: float, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f'not within {timeout}s')


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.fixture
def alice(conn, app_conn):
    name = f'worker_{uuid.uuid4().hex[:8]}'
    user_id = app_conn.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@worker.example', name, PASSWORD]
    ).fetchone()[0]
    token = app_conn.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
    client = Client(app_conn, token=token)
    with app_conn.transaction():
        app_conn.execute('select api.authenticate(%s)', [token])
        account = app_conn.execute('select id from api.accounts where is_default').fetchone()[0]
    conn.execute("select api.upsert_security('WRK', 'Worker Inc', 'stock')")
    conn.execute("select api.record_price('WRK', 10, clock_timestamp())")
    return user_id, client, account


def test_consumer_order():
    rows = [('wakeups', 'notifications'), ('notifications', None), ('audit', None), ('later', 'wakeups')]
    assert worker_module.order_consumers(rows) == ['audit', 'notifications', 'wakeups', 'later']
    with pytest.raises(ValueError):
        worker_module.Worker('postgresql://x', batch_size=0)


def test_a_fill_is_notified_within_a_second_and_sigterm_stops_cleanly(db_url, conn, alice):
    _, client, account = alice
    proc = start_worker(db_url, '--no-jobs')
    try:
        wait_for(lambda: scalar(conn, WORKER_BACKENDS) == 1, 20)
        order = client.execute_paper_trade(account, 'WRK', 'buy', 1)
        assert order.status == 'filled'
        placed = time.monotonic()

        def seen():
            return [n for n in client.notifications() if n.data.get('order_id') == str(order.id)]

        notes = wait_for(seen, 1.0, step=0.01)
        elapsed = time.monotonic() - placed
        assert elapsed < 1.0 and [n.kind for n in notes] == ['order_filled'], elapsed
    finally:
        code = stop(proc)
    output = proc.stdout.read()
    assert code == 0, output
    assert 'stopped' in output
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


SLOW_CONSUMER = """
create table public.slow_effects (event_id bigint not null);
create function public.slow_effect(p_events notify.events[]) returns void language plpgsql as $f$
begin
    insert into public.slow_effects (event_id) select e.id from unnest(p_events) as e;
    perform pg_sleep(0.005 * cardinality(p_events));
end
$f$;
grant insert on public.slow_effects to tradebase_owner;  -- notify.consume runs handlers as the owner
insert into notify.consumers (name, handler, description)
values ('slow_test', 'public.slow_effect', 'test: 5 ms per event');
"""


def test_sigkill_mid_batch_loses_nothing_and_applies_nothing_twice(db_url, conn, alice):
    user_id, client, account = alice
    conn.execute(SLOW_CONSUMER)
    before = conn.execute('select coalesce(max(id), 0) from notify.events').fetchone()[0]
    # A backlog: 20 fills and rejections, and 780 events written in bulk.
    for i in range(10):
        client.execute_paper_trade(account, 'WRK', 'buy', 1 + i)
        client.execute_paper_trade(account, 'WRK', 'buy', 10**10)
    conn.execute(
        "select notify.publish(%s, 'system', 'info', 'Backlog', 'event ' || g, jsonb_build_object('n', g),"
        ' false) from generate_series(1, 780) as g',
        [user_id],
    )
    total = conn.execute('select count(*) from notify.events').fetchone()[0]
    assert total >= 800

    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as listener:
        listener.execute('listen tradebase_events')
        # Batches of 100 take the slow consumer 0.5 s each.
        proc = start_worker(db_url, '--batch-size', '100', '--poll-interval', '0.2')

        def mid_batch():
            done = scalar(conn, 'select count(*) from public.slow_effects')  # committed batches only
            sleeping = scalar(conn, WORKER_BACKENDS + " and wait_event = 'PgSleep'")
            return done > 0 and sleeping > 0

        wait_for(mid_batch, 30, step=0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        # The killed batch never commits: its backend ends when it finds the client gone.
        wait_for(lambda: scalar(conn, WORKER_BACKENDS) == 0, 10)
        applied = conn.execute('select count(*) from public.slow_effects').fetchone()[0]
        assert 0 < applied < total, 'killed after a batch committed and before the last'
        assert applied % 100 == 0, 'whole batches only'

        proc = start_worker(db_url, '--batch-size', '100', '--poll-interval', '0.2')
        try:
            announced = 'select count(*) from notify.notifications where announced_at is not null'
            effects = 'select count(*) from public.slow_effects'
            wait_for(
                lambda: scalar(conn, announced) >= total and scalar(conn, effects) >= total, 60, step=0.1
            )
        finally:
            assert stop(proc) == 0
        payloads = [n.payload for n in listener.notifies(timeout=0.5)]

    # Exactly once per consumer.
    effects = conn.execute('select count(*), count(distinct event_id) from public.slow_effects').fetchone()
    assert effects == (total, total)
    notes = conn.execute(
        'select count(*), count(distinct n.event_id), count(e.id) from notify.notifications as n'
        ' left join notify.events as e on e.id = n.event_id where n.event_id is not null'
    ).fetchone()
    assert notes == (total, total, total), 'one notification per event, none lost, none twice'
    new = conn.execute('select id from notify.notifications where event_id > %s', [before]).fetchall()
    ids = {str(r[0]) for r in new}
    assert len(ids) >= 800
    assert len(payloads) == len(set(payloads)) == len(ids), 'each new notification announced once'
    assert set(payloads) == ids
    # Progress is folded into the cursors once nothing runs.
    assert conn.execute("select notify.consume('slow_test')").fetchone()[0] == 0
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_tradebase_worker_login_runs_the_consumers_and_the_due_jobs(db_url, conn, alice):
    """Logged in as a member of tradebase_worker (which reads no table), the worker runs both."""
    _, client, account = alice
    role = f'tb_test_worker_{uuid.uuid4().hex[:8]}'
    conn.execute(f'create role {role} login in role tradebase_worker')
    conn.execute('delete from ops.job_runs')  # earlier workers of this module ran this period's jobs
    try:
        proc = start_worker(role_url(db_url, role), '--jobs-interval', '0.2')
        try:
            order = client.execute_paper_trade(account, 'WRK', 'buy', 1)

            def seen():
                return [n for n in client.notifications() if n.data.get('order_id') == str(order.id)]

            assert wait_for(seen, 10)
            wait_for(lambda: scalar(conn, 'select count(*) from ops.job_runs') > 0, 20)
        finally:
            code = stop(proc)
        output = proc.stdout.read()
        assert code == 0, output
        assert 'tradebase worker: job ' in output, output
    finally:
        conn.execute(f'drop role {role}')
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
