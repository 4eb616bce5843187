"""Test databases: one server per run, one migrated template, one clone per test module.

- TEST_DATABASE_URL (a superuser on an existing server) is used when set; otherwise a throwaway
  cluster starts in a temp dir and is stopped and removed when the run ends.
- The template database is migrated once per run (plus the test-only extensions pgTAP and
  plpgsql_check); every test module, and every pgTAP file, gets `CREATE DATABASE … TEMPLATE` of it.
- Login roles that are members of tradebase_app / tradebase_analyst / tradebase_admin exist so
  tests connect as an app, an analyst or support staff, not only as the superuser.
"""

import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tradebase import db, migrate
from tradebase.cluster import Cluster, require_extensions

TEST_ROLES = {
    'tb_test_app': 'tradebase_app',
    'tb_test_analyst': 'tradebase_analyst',
    'tb_test_admin': 'tradebase_admin',
}
TEST_EXTENSIONS = ('pgtap', 'plpgsql_check')
TEST_HELPERS = Path(__file__).parent / 'sql' / 'helpers.sql'  # schema `tests`: SQL the tests share


@pytest.fixture(scope='session')
def server_url() -> Iterator[str]:
    """A superuser URL on the test server (its `postgres` database)."""
    if url := os.environ.get('TEST_DATABASE_URL'):
        yield db.with_dbname(url, 'postgres')
        return
    # The fast settings (fsync, synchronous_commit, full_page_writes off): nothing here needs to survive a
    # crash, and `make test` stays quick. tests/python/test_durability.py starts its own durable server.
    cluster = Cluster.temporary(fast=True)
    try:
        cluster.start()
        yield cluster.url('postgres')
    finally:
        cluster.destroy()


def _create_test_roles(url: str) -> None:
    with db.connection(url, autocommit=True) as conn:
        for login, group in TEST_ROLES.items():
            exists = conn.execute('select 1 from pg_roles where rolname = %s', [login]).fetchone()
            if not exists:
                conn.execute(sql.SQL('create role {} login').format(sql.Identifier(login)))
            conn.execute(sql.SQL('grant {} to {}').format(sql.Identifier(group), sql.Identifier(login)))


@pytest.fixture(scope='session')
def template_db(server_url: str) -> Iterator[str]:
    """Name of a database migrated once for this run, marked as a template."""
    name = f'tb_template_{uuid.uuid4().hex[:8]}'
    url = db.create_database(server_url, name)
    require_extensions(url)
    migrate.migrate(url, echo=lambda *_: None)
    _create_test_roles(url)
    with db.connection(url, autocommit=True) as conn:
        for ext in TEST_EXTENSIONS:
            conn.execute(sql.SQL('create extension if not exists {}').format(sql.Identifier(ext)))
        # bcrypt cost 4 instead of 12, so registering users in tests takes ~1 ms (see docs/security.md).
        conn.execute("update auth.settings set value = '4' where name = 'bcrypt_cost'")
        conn.execute(TEST_HELPERS.read_text())
    with db.connection(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL('alter database {} is_template true').format(sql.Identifier(name)))
    yield name
    with db.connection(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL('alter database {} is_template false').format(sql.Identifier(name)))
    db.drop_database(server_url, name)


def _clone(server_url: str, template_db: str) -> tuple[str, str]:
    name = f'tb_test_{uuid.uuid4().hex[:10]}'
    return name, db.create_database(server_url, name, template=template_db)


@pytest.fixture(scope='module')
def db_url(server_url: str, template_db: str) -> Iterator[str]:
    """A fresh clone of the migrated template for this test module (superuser URL)."""
    name, url = _clone(server_url, template_db)
    yield url
    db.drop_database(server_url, name)


@pytest.fixture
def replayed_fund_requests(db_url: str) -> Iterator[None]:
    """For tests whose strikes replay days long past: while the test runs, each new fund request is dated
    just after its fund's last strike, as if made between two strikes (tests/sql/helpers.sql), so that
    forward pricing deals it at the next strike."""
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute('select tests.replay_fund_requests()')
        yield
        c.execute('select tests.replay_fund_requests(false)')


def role_url(url: str, role: str) -> str:
    """The same database, logged in as one of TEST_ROLES."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params['user'] = role
    params.pop('password', None)
    return make_conninfo(**params)


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    """Superuser connection to the module's database."""
    with psycopg.connect(db_url, autocommit=True) as c:
        yield c


@pytest.fixture
def app_conn(db_url: str) -> Iterator[psycopg.Connection]:
    """Connection as a login role that is a member of tradebase_app."""
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as c:
        yield c


@pytest.fixture
def analyst_conn(db_url: str) -> Iterator[psycopg.Connection]:
    """Connection as a login role that is a member of tradebase_analyst."""
    with psycopg.connect(role_url(db_url, 'tb_test_analyst'), autocommit=True) as c:
        yield c


# pytest-pgtap: every pgTAP file runs against its own clone (its item is its own "module").
@pytest.fixture(scope='module')
def pgtap_connection(server_url: str, template_db: str) -> Iterator[psycopg.Connection]:
    name, url = _clone(server_url, template_db)
    try:
        with psycopg.connect(url) as conn:
            yield conn
    finally:
        db.drop_database(server_url, name)


@pytest.fixture(scope='module')
def _pgtap_runner(pgtap_connection):
    from pytest_pgtap.pgtap import Runner

    return Runner(pgtap_connection)


def race(db_url: str, calls) -> list[str | None]:
    """Each (user, query, params) in its own connection and transaction, the first holding its locks until the
    second has started and waits for them (a row's or transaction's lock, or an advisory lock such as a
    security's, market.security_lock_key); returns the SQLSTATE of each (None: committed). For the concurrency
    tests of two api calls that must queue behind each other."""
    results = [None, None]
    with psycopg.connect(db_url, autocommit=True) as c1, psycopg.connect(db_url, autocommit=True) as c2:
        c1.execute('begin')
        c1.execute('select api.act_as(%s)', [calls[0][0]])
        c1.execute(calls[0][1], calls[0][2])

        def second():
            try:
                with c2.transaction():
                    c2.execute('select api.act_as(%s)', [calls[1][0]])
                    c2.execute(calls[1][1], calls[1][2])
            except psycopg.Error as err:
                results[1] = err.sqlstate

        thread = threading.Thread(target=second)
        thread.start()
        waited = False
        with psycopg.connect(db_url, autocommit=True) as watcher:
            for _ in range(200):
                if watcher.execute(
                    'select count(*) from pg_locks '
                    "where not granted and locktype in ('transactionid', 'advisory')"
                ).fetchone()[0]:
                    waited = True
                    break
                time.sleep(0.02)
        c1.execute('commit')
        thread.join(30)
        assert waited, 'the second transaction did not wait for the first'
    return results
