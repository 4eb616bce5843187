"""Account performance and risk metrics through a real app login (issue 15 §3): pgTAP runs as a
superuser, whom trading.authorized_account lets through, so the ownership proof is here.

Users A and B register through tb_test_app (a member of tradebase_app). A reads the performance of A's
account; B, authenticated with B's token on the same app connection, is refused A's account with 42501
(api.account_performance, api.set_account_benchmark) and sees none of A's rows in api.risk_metrics; an
anonymous caller gets TB008. The analyst login reads analytics.account_performance and nothing behind it.
"""

import psycopg
import pytest
from psycopg import sql

from conftest import role_url

PASSWORD = 'long password 123'


@pytest.fixture(scope='module')
def world(db_url):
    """A and B registered and logged in; a benchmark default; a snapshot and risk metrics of today."""
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        ids, tokens, accounts = {}, {}, {}
        for name in ('a', 'b'):
            ids[name] = app.execute(
                'select api.register_user(%s, %s, %s)', [f'{name}@perf.example', f'perf_{name}', PASSWORD]
            ).fetchone()[0]
            tokens[name] = app.execute('select api.login(%s, %s)', [f'perf_{name}', PASSWORD]).fetchone()[0]
            with app.transaction():
                app.execute('select api.authenticate(%s)', [tokens[name]])
                accounts[name] = app.execute('select id from api.accounts where is_default').fetchone()[0]
    with psycopg.connect(db_url, autocommit=True) as su:
        su.execute("select api.upsert_security('PERFB', 'Perf benchmark', 'etf')")
        su.execute(
            'insert into market.benchmarks (symbol, name, security_id, is_default) '
            "select 'PERFIDX', 'Perf index', id, true from market.securities where symbol = 'PERFB'"
        )
        su.execute('select api.snapshot_accounts(current_date)')
        su.execute('select risk.record_metrics(current_date)')
    return {'ids': ids, 'tokens': tokens, 'accounts': accounts}


def sqlstate_of(conn, query: str, params=None, *, token: str | None = None) -> str | None:
    try:
        with conn.transaction(force_rollback=True):
            if token is not None:
                conn.execute('select api.authenticate(%s)', [token])
            conn.execute(query, params)
    except psycopg.Error as err:
        return err.sqlstate
    return None


def test_a_reads_the_performance_of_a_own_account(app_conn, world):
    with app_conn.transaction(force_rollback=True):
        app_conn.execute('select api.authenticate(%s)', [world['tokens']['a']])
        row = app_conn.execute(
            'select account_id, as_of, equity, benchmark_symbol, reason from api.account_performance(%s)',
            [world['accounts']['a']],
        ).fetchone()
        symbol = app_conn.execute(
            "select api.set_account_benchmark(%s, 'PERFIDX')", [world['accounts']['a']]
        ).fetchone()[0]
        mine = app_conn.execute('select count(*) from api.risk_metrics').fetchone()[0]
    assert row[0] == world['accounts']['a']
    assert row[2] is not None and row[3] == 'PERFIDX'
    assert symbol == 'PERFIDX'
    assert mine == 1


@pytest.mark.parametrize(
    'query',
    [
        'select * from api.account_performance(%s)',
        "select * from api.account_performance(%s, 'week')",
        "select api.set_account_benchmark(%s, 'PERFIDX')",
        'select api.set_account_benchmark(%s, null)',
    ],
)
def test_b_is_refused_a_account(app_conn, world, query):
    account = world['accounts']['a']
    assert sqlstate_of(app_conn, query, [account], token=world['tokens']['b']) == '42501'
    assert sqlstate_of(app_conn, query, [account]) == 'TB008'
    assert sqlstate_of(app_conn, query, [account], token=world['tokens']['a']) is None


def test_b_sees_none_of_a_risk_metrics(app_conn, conn, world):
    assert (
        conn.execute(
            'select count(*) from risk.metrics where account_id = %s', [world['accounts']['a']]
        ).fetchone()[0]
        == 1
    )
    with app_conn.transaction(force_rollback=True):
        app_conn.execute('select api.authenticate(%s)', [world['tokens']['b']])
        seen = app_conn.execute(
            'select account_id from api.risk_metrics union all select account_id from risk.metrics'
        ).fetchall()
    assert {r[0] for r in seen} == {world['accounts']['b']}


def test_the_analyst_reads_the_view_and_nothing_behind_it(analyst_conn, world):
    rows = analyst_conn.execute(
        'select account_id, equity from analytics.account_performance where account_id = any(%s)',
        [list(world['accounts'].values())],
    ).fetchall()
    assert {r[0] for r in rows} == set(world['accounts'].values())
    for relation in ('risk.metrics', 'trading.account_snapshots', 'market.benchmarks'):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), analyst_conn.transaction():
            analyst_conn.execute(
                sql.SQL('select count(*) from {}').format(sql.Identifier(*relation.split('.')))
            )


def test_invariants_hold(conn, world):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
