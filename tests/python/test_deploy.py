"""`tradebase migrate` is one deploy in one transaction (python/tradebase/migrate.py).

- a deploy that fails on its last sql/ object leaves the schema, ops.sql_objects and yoyo's bookkeeping
  exactly as they were, and the same deploy goes through once the file is fixed; `rollback` likewise;
- app logins calling api.execute_paper_trade in a loop see no error while a deploy re-creates it, nor, taking
  the deploy barrier, while deploys re-create every object;
- with the deploy barrier taken shared at the start of each app transaction, not even a deploy whose
  migration drops a table the running code writes to (and whose sql/ objects move it to another) fails
  a call in flight.

migrate twice (a no-op) and concurrent migrates: tests/python/test_migrate.py.
"""

import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from conftest import role_url
from tradebase import config, db, migrate
from tradebase.cluster import find_bindir

QUIET = {'echo': lambda *_: None}
PASSWORD = 'correct horse battery staple'


@pytest.fixture
def clone(server_url, template_db):
    """A fresh clone of the migrated template (with the tb_test_* logins), for one test."""
    name = f'tb_deploy_{uuid.uuid4().hex[:10]}'
    url = db.create_database(server_url, name, template=template_db)
    yield url
    db.drop_database(server_url, name)


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    """A copy of sql/ and migrations/ that the deploy reads instead of the checkout's."""
    shutil.copytree(config.SQL_DIR, tmp_path / 'sql')
    shutil.copytree(config.MIGRATIONS_DIR, tmp_path / 'migrations')
    monkeypatch.setattr(config, 'SQL_DIR', tmp_path / 'sql')
    monkeypatch.setattr(config, 'MIGRATIONS_DIR', tmp_path / 'migrations')
    return tmp_path


def add_migration(tree: Path, name: str, up: str, down: str) -> None:
    (tree / 'migrations' / f'{name}.sql').write_text(f'set local role tradebase_owner;\n{up}\n')
    (tree / 'migrations' / f'{name}.rollback.sql').write_text(f'set local role tradebase_owner;\n{down}\n')


def touch(tree: Path, path: str) -> None:
    """Change a sql/ file's checksum without changing what it defines."""
    file = tree / 'sql' / path
    file.write_text(file.read_text() + '\n-- changed by tests/python/test_deploy.py\n')


def state(url: str) -> dict:
    """Everything a deploy may change: the schema (pg_dump), ops.sql_objects, yoyo's bookkeeping."""
    out = subprocess.run(
        [str(find_bindir() / 'pg_dump'), '--schema-only', '--dbname', url],
        capture_output=True,
        text=True,
        check=True,
    )
    noise = ('-- Dumped', '\\restrict', '\\unrestrict')
    with psycopg.connect(url) as conn:
        return {
            'schema': [line for line in out.stdout.splitlines() if not line.startswith(noise)],
            'sql_objects': conn.execute('select * from ops.sql_objects order by path').fetchall(),
            'yoyo_migration': conn.execute('select * from _yoyo_migration order by 1').fetchall(),
            'yoyo_log': conn.execute('select count(*) from _yoyo_log').fetchone()[0],
        }


def test_a_deploy_that_fails_on_its_last_object_changes_nothing(clone, scratch):
    add_migration(
        scratch,
        '9990_deploy_probe',
        'create table ops.deploy_probe (id int);',
        'drop table ops.deploy_probe;',
    )
    touch(scratch, 'api/execute_paper_trade.sql')
    last = migrate.load_objects()[-1]
    broken = scratch / 'sql' / last.path
    fixed = broken.read_text()
    broken.write_text(fixed + '\nselect 1 / 0;\n')
    before = state(clone)

    lines = []
    with pytest.raises(psycopg.errors.DivisionByZero) as failure:
        migrate.migrate(clone, echo=lines.append)
    assert f'while applying sql/{last.path}' in failure.value.__notes__
    # It got to the end: the migration and the changed function were applied, then the last file failed.
    assert 'applying migration 9990_deploy_probe' in lines
    assert 'applying sql/api/execute_paper_trade.sql (changed)' in lines
    assert lines[-2:] == [
        f'applying sql/{last.path} (changed)',
        'migrate failed and was rolled back: the database is as it was before',
    ]
    assert state(clone) == before
    assert migrate.plan(clone).pending_migrations == ['9990_deploy_probe']

    broken.write_text(fixed)
    migrate.migrate(clone, **QUIET)
    assert migrate.plan(clone).up_to_date
    with psycopg.connect(clone) as conn:
        assert conn.execute("select to_regclass('ops.deploy_probe') is not null").fetchone()[0]


def test_a_rollback_is_one_transaction_too(clone, scratch):
    add_migration(scratch, '9991_probe_a', 'create table ops.probe_a (id int);', 'select 1 / 0;')
    add_migration(scratch, '9992_probe_b', 'create table ops.probe_b (id int);', 'drop table ops.probe_b;')
    migrate.migrate(clone, **QUIET)
    before = state(clone)
    lines = []
    with pytest.raises(psycopg.errors.DivisionByZero):
        migrate.rollback(clone, steps=2, echo=lines.append)
    assert lines == ['rolling back migration 9992_probe_b', 'rolling back migration 9991_probe_a']
    assert state(clone) == before  # 9992's rollback went through, then was undone with 9991's failure


class Traders:
    """App logins placing market orders in a loop (buy 1, sell 1, ...) on their own connections, each
    order in its own transaction that starts with api.authenticate, as an app does."""

    def __init__(self, url: str, count: int = 2, *, barrier: bool = False):
        self.url = url
        self.barrier = barrier
        self.stop = threading.Event()
        self.calls = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("select api.upsert_security('DPLY', 'Deploy test', 'stock')")
            conn.execute("select api.record_price('DPLY', 10, clock_timestamp(), 9.99, 10.01)")
        self.threads = [threading.Thread(target=self._trade) for _ in range(count)]

    def _trade(self) -> None:
        name = f'deploy_{uuid.uuid4().hex[:8]}'
        with psycopg.connect(role_url(self.url, 'tb_test_app'), autocommit=True) as app:
            app.execute('select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, PASSWORD])
            token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
            with app.transaction():
                app.execute('select api.authenticate(%s)', [token])
                account = app.execute('select id from api.accounts where is_default').fetchone()[0]
            side = 'buy'
            while not self.stop.is_set():
                try:
                    with app.transaction():
                        if self.barrier:
                            # What an entry point does to stay on one side of every deploy.
                            app.execute(
                                'select pg_advisory_xact_lock_shared(hashtextextended(%s, 0))',
                                [config.DEPLOY_BARRIER_KEY],
                            )
                        app.execute('select api.authenticate(%s)', [token])
                        status = app.execute(
                            'select status from api.execute_paper_trade(%s, %s, %s, 1)',
                            [account, 'DPLY', side],
                        ).fetchone()[0]
                    assert status == 'filled', status
                    side = 'sell' if side == 'buy' else 'buy'
                    with self.lock:
                        self.calls += 1
                except Exception as err:  # every failure is what the test looks for
                    with self.lock:
                        self.errors.append(f'{type(err).__name__}: {err}')

    def wait_for(self, calls: int, timeout: float = 60) -> None:
        """Until `calls` more orders went through (the traders are running, not stuck)."""
        target = self.calls + calls
        deadline = time.monotonic() + timeout
        while self.calls < target:
            assert not self.errors, self.errors[:3]
            assert time.monotonic() < deadline, f'traders made {self.calls} of {target} calls'
            time.sleep(0.01)

    def __enter__(self) -> 'Traders':
        for t in self.threads:
            t.start()
        self.wait_for(20)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def test_api_calls_see_no_error_while_deploys_recreate_them(clone, scratch):
    touch(scratch, 'api/execute_paper_trade.sql')
    with Traders(clone) as traders:
        # Re-creating a function takes no lock a caller waits for: callers see the old body, then the new.
        lines = []
        migrate.migrate(clone, echo=lines.append)
        assert lines == [
            'applying sql/api/execute_paper_trade.sql (changed)',
            'applying sql/api/grants.sql (regrant)',
        ]
        traders.wait_for(20)
        # Every object re-applied (functions, views, policies, triggers, grants): policies and triggers lock
        # their tables, in file order, so an app transaction holding one of them while it waits for another
        # could deadlock with the deploy; with the barrier it never holds one while the deploy runs.
        traders.barrier = True
        for _ in range(3):
            with psycopg.connect(clone, autocommit=True) as conn:
                conn.execute("update ops.sql_objects set checksum = 'forced'")
            lines = []
            migrate.migrate(clone, echo=lines.append)
            assert len(lines) == len(migrate.load_objects())
            traders.wait_for(20)
    assert traders.errors == []
    with psycopg.connect(clone) as conn:
        assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


PROBE_TRIGGER = """
create or replace function trading.deploy_probe() returns trigger language plpgsql as $$
begin
    insert into trading.{table} (order_id) values (new.id);
    return new;
end
$$;
create or replace trigger orders_deploy_probe after insert on trading.orders
    for each row execute function trading.deploy_probe();
"""


@pytest.mark.slow
def test_the_deploy_barrier_keeps_calls_in_flight_whole(clone, scratch):
    """A migration drops the table the running code writes to each order and creates another, the new sql/
    trigger writes there instead. One transaction alone is not enough for the calls in flight at that
    moment (an old trigger body blocked on the dropped table fails after the commit: a deadlock or a
    missing relation); with the barrier they run wholly before or wholly after the deploy."""
    add_migration(
        scratch,
        '9993_deploy_probe_v1',
        'create table trading.deploy_probe_v1 (order_id uuid);',
        'drop table trading.deploy_probe_v1;',
    )
    (scratch / 'sql' / 'trading' / 'zz_deploy_probe.sql').write_text(
        PROBE_TRIGGER.format(table='deploy_probe_v1')
    )
    migrate.migrate(clone, **QUIET)

    add_migration(
        scratch,
        '9994_deploy_probe_v2',
        'drop table trading.deploy_probe_v1;\ncreate table trading.deploy_probe_v2 (order_id uuid);',
        'drop table trading.deploy_probe_v2;\ncreate table trading.deploy_probe_v1 (order_id uuid);',
    )
    (scratch / 'sql' / 'trading' / 'zz_deploy_probe.sql').write_text(
        PROBE_TRIGGER.format(table='deploy_probe_v2')
    )
    touch(scratch, 'api/execute_paper_trade.sql')
    with Traders(clone, barrier=True) as traders:
        lines = []
        migrate.migrate(clone, echo=lines.append)
        assert 'applying migration 9994_deploy_probe_v2' in lines
        assert 'applying sql/trading/zz_deploy_probe.sql (changed)' in lines
        traders.wait_for(50)
    assert traders.errors == []
    with psycopg.connect(clone) as conn:
        assert conn.execute('select count(*) from trading.deploy_probe_v2').fetchone()[0] >= 50
        assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
