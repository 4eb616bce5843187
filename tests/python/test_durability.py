"""The throwaway server is durable by default. SIGKILL of the whole server (the postmaster and its children,
as a crash would) in the middle of a load of orders and deposits loses no order and no journal that was
acknowledged to the client, and after crash recovery the books still add up (ops.verify_invariants() empty).

The rest of the suite runs on the fast settings (tests/conftest.py asks for them), checked here as well.
crash_mid_load() also runs against a fast cluster by hand, to see what those settings lose:
`Cluster.temporary(fast=True)`, then prepare() and crash_mid_load() as below.
"""

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tradebase import db, migrate
from tradebase.client import Client
from tradebase.cluster import DURABLE_SETTINGS, FAST_SETTINGS, Cluster

DBNAME = 'durability'
APP_ROLE = 'tb_durable_app'
SYMBOL = 'DURA'
PASSWORD = 'correct horse battery staple'
WORKERS = 2
LOAD_SECONDS = 1.5  # at least this much load before the kill …
MIN_ACKS = 40  # … and at least this many acknowledged calls
MAX_WAIT = 60.0  # a machine that cannot reach MIN_ACKS by then fails the test instead of hanging it


def prepare(cluster: Cluster) -> None:
    """Start CLUSTER, create and migrate its database, an app login role and a priced security."""
    cluster.start()
    url = db.create_database(cluster.url('postgres'), DBNAME)
    migrate.migrate(url, echo=lambda *_: None)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update auth.settings set value = '4' where name = 'bcrypt_cost'")  # fast registration
        conn.execute(f'create role {APP_ROLE} login')
        conn.execute(f'grant tradebase_app to {APP_ROLE}')
        conn.execute("select api.upsert_security(%s, 'Durability', 'stock')", [SYMBOL])
        conn.execute('select api.record_price(%s, 10, clock_timestamp())', [SYMBOL])


def app_url(cluster: Cluster) -> str:
    return cluster.url(DBNAME).replace('postgresql://postgres@', f'postgresql://{APP_ROLE}@')


def register(cluster: Cluster) -> tuple[str, uuid.UUID]:
    """A new user: a session token and its default paper account."""
    name = f'dur_{uuid.uuid4().hex[:8]}'
    with psycopg.connect(app_url(cluster), autocommit=True) as app:
        app.execute('select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, PASSWORD])
        token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
        account = Client(app, token=token)._one('select id from api.accounts where is_default', [])
    return token, account


def kill_server(cluster: Cluster) -> None:
    """SIGKILL the postmaster and all its children, as a crash would, and wait until none is left.

    The children each run in a session of their own, so the postmaster's process group is not the whole
    server: it is stopped first (it forks no new child then), its children are listed, and all get SIGKILL."""
    postmaster = int((cluster.datadir / 'postmaster.pid').read_text().split()[0])
    os.kill(postmaster, signal.SIGSTOP)
    deadline = time.monotonic() + 30
    while state(postmaster) != 'T':
        assert time.monotonic() < deadline, f'the postmaster is {state(postmaster)}, not stopped'
        time.sleep(0.001)
    server = [postmaster, *children(postmaster)]
    for pid in server:
        os.kill(pid, signal.SIGKILL)
    while alive := [pid for pid in server if exists(pid)]:
        assert time.monotonic() < deadline, f'server processes {alive} survived SIGKILL'
        time.sleep(0.02)


def _stat(path: Path) -> list[str]:
    """The fields of /proc/PID/stat after the command name: state, ppid, …; [] once it is gone."""
    try:
        return path.read_text().rsplit(')', 1)[1].split()
    except (OSError, IndexError):
        return []


def state(pid: int) -> str:
    return (_stat(Path(f'/proc/{pid}/stat')) or ['gone'])[0]


def children(parent: int) -> list[int]:
    return [
        int(stat.parent.name)
        for stat in Path('/proc').glob('[0-9]*/stat')
        if (fields := _stat(stat)) and int(fields[1]) == parent
    ]


def exists(pid: int) -> bool:
    """PID is still in the process table (a zombie too: pg_ctl and the postmaster's lock file see it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Load:
    """What the workers had acknowledged when the server died, and how each of them ended."""

    orders: dict[uuid.UUID, str] = field(default_factory=dict)  # order id -> status returned
    journals: list[int] = field(default_factory=list)  # journal ids api.deposit returned
    endings: list[str | None] = field(default_factory=list)  # None: cut off by the kill
    killed: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def acks(self) -> int:
        return len(self.orders) + len(self.journals)


def work(url: str, token: str, account: uuid.UUID, load: Load) -> None:
    """Market buys and deposits on one account, one transaction each, until the server dies.

    A call's result is recorded only once it returned, i.e. once its COMMIT was acknowledged."""
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            client = Client(conn, token=token)
            while not load.stop.is_set():
                order = client.execute_paper_trade(account, SYMBOL, 'buy', 1)
                load.orders[order.id] = order.status
                load.journals.append(client.deposit(account, 10))
        load.endings.append('stopped before the kill')
    except Exception as err:  # every ending is reported
        load.endings.append(None if load.killed.is_set() else f'{type(err).__name__}: {err}')


@dataclass
class Outcome:
    load: Load
    missing_orders: list[uuid.UUID]
    changed_orders: list[tuple[uuid.UUID, str, str]]  # id, status acknowledged, status after recovery
    missing_journals: list[int]
    violations: list[tuple]


def crash_mid_load(cluster: Cluster) -> Outcome:
    """Load the prepared CLUSTER from WORKERS threads, SIGKILL the server mid-load, restart it (crash
    recovery) and compare what is there with what was acknowledged."""
    users = [register(cluster) for _ in range(WORKERS)]
    load = Load()
    url = app_url(cluster)
    threads = [threading.Thread(target=work, args=(url, token, acct, load)) for token, acct in users]
    for t in threads:
        t.start()
    try:
        started = time.monotonic()
        while time.monotonic() - started < LOAD_SECONDS or load.acks < MIN_ACKS:
            assert not load.endings, f'a worker ended before the kill: {load.endings}'
            assert time.monotonic() - started < MAX_WAIT, f'only {load.acks} calls acknowledged'
            time.sleep(0.01)
        load.killed.set()
        kill_server(cluster)
    finally:
        load.stop.set()
        for t in threads:
            t.join(timeout=60)
    cluster.start()  # crash recovery
    with psycopg.connect(cluster.url(DBNAME), autocommit=True) as conn:
        found = dict(
            conn.execute('select id, status from trading.orders where id = any(%s)', [list(load.orders)])
        )
        journals = {
            r[0]
            for r in conn.execute(
                'select distinct journal_id from trading.transactions where journal_id = any(%s)',
                [load.journals],
            )
        }
        violations = conn.execute('select * from ops.verify_invariants()').fetchall()
    return Outcome(
        load=load,
        missing_orders=[o for o in load.orders if o not in found],
        changed_orders=[(o, s, found[o]) for o, s in load.orders.items() if o in found and found[o] != s],
        missing_journals=[j for j in load.journals if j not in journals],
        violations=violations,
    )


@pytest.fixture(scope='module')
def durable_cluster():
    cluster = Cluster.temporary()  # the default: durable
    try:
        prepare(cluster)
        yield cluster
    finally:
        cluster.destroy()


def test_the_default_server_is_durable(durable_cluster):
    assert not durable_cluster.fast
    assert durable_cluster.durability() == DURABLE_SETTINGS == dict.fromkeys(DURABLE_SETTINGS, 'on')


def test_the_test_suite_asks_for_the_fast_server(server_url):
    if os.environ.get('TEST_DATABASE_URL'):
        pytest.skip('TEST_DATABASE_URL: the tests run on a server they did not start')
    with psycopg.connect(server_url) as conn:
        shown = {name: conn.execute(f'show {name}').fetchone()[0] for name in FAST_SETTINGS}
    assert shown == FAST_SETTINGS == dict.fromkeys(FAST_SETTINGS, 'off')


@pytest.mark.slow
@pytest.mark.skipif(
    not Path('/proc/self/stat').exists(), reason='finds the server processes in /proc (Linux)'
)
def test_sigkill_mid_load_loses_nothing_acknowledged(durable_cluster):
    outcome = crash_mid_load(durable_cluster)
    load = outcome.load
    assert load.endings == [None] * WORKERS, 'every worker was cut off by the kill, in the middle of the load'
    assert load.acks >= MIN_ACKS
    assert outcome.missing_orders == [], f'{len(outcome.missing_orders)} of {len(load.orders)} orders lost'
    assert outcome.changed_orders == []
    assert outcome.missing_journals == [], (
        f'{len(outcome.missing_journals)} of {len(load.journals)} journals lost'
    )
    assert outcome.violations == []
    assert durable_cluster.durability() == DURABLE_SETTINGS
