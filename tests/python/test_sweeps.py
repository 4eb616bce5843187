"""Parameter sweeps (issue 16 §3, docs/strategies.md "Sweeps"), as the app login tb_test_app: a user's
sweeps and their combinations are theirs alone (RLS): another user sees none of them, in the api views or
the tables behind them, and cannot sweep the first user's strategy (42501); the public catalogue is swept
by anyone. The figures themselves are proved equal to run_backtest's in tests/pgtap/test_sweeps.sql."""

import datetime as dt

import psycopg
import pytest
from psycopg import sql

from conftest import role_url

PASSWORD = 'Sweep-passw0rd!'
START = dt.date(2001, 1, 1)
BARS = 250


@pytest.fixture(scope='module')
def market(db_url):
    """250 daily bars of a zigzag (up 12 bars, down 9) on SWEEP, loaded as the superuser."""
    with psycopg.connect(db_url, autocommit=True) as su:
        su.execute("select api.upsert_security('SWEEP', 'sweep RLS series', 'stock')")
        su.execute(
            """insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
               select s.id, '1d', %s::date + i, z, z + 1, z - 1, z + 0.5
               from market.securities as s, generate_series(0, %s - 1) as i,
                   lateral (select 100 + (i %% 21) - 2 * greatest(i %% 21 - 12, 0) as z) as zig
               where s.symbol = 'SWEEP'""",
            [START, BARS],
        )
    return 'SWEEP'


def register(app, name):
    user_id = app.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@sweep.example', name, PASSWORD]
    ).fetchone()[0]
    token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
    return user_id, token


def sqlstate(app, token, query, params=None):
    try:
        with app.transaction(force_rollback=True):
            app.execute('select api.authenticate(%s)', [token])
            app.execute(query, params)
    except psycopg.Error as err:
        return err.sqlstate
    return None


def test_another_users_sweeps_are_invisible_and_refused(db_url, market):
    end = START + dt.timedelta(days=BARS - 1)
    grid = '{"fast": [3, 5], "slow": {"from": 10, "to": 20, "step": 10}}'
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        _, alice = register(app, 'sw_alice')
        _, bob = register(app, 'sw_bob')
        with app.transaction():
            app.execute('select api.authenticate(%s)', [alice])
            strategy = app.execute(
                """select api.create_strategy('alice sweep', 'sma_crossover', '{"fast": 5, "slow": 15}')"""
            ).fetchone()[0]
            rows = app.execute(
                'select sweep_id, rank from api.sweep_backtest(%s, %s, %s, %s, %s::jsonb)',
                [strategy, market, START, end, grid],
            ).fetchall()
            assert [r[1] for r in rows] == [1, 2, 3, 4]
            sweep = rows[0][0]
            assert app.execute('select count(*) from api.sweeps').fetchone()[0] == 1
            assert app.execute('select count(*) from api.sweep_results').fetchone()[0] == 4
        with app.transaction():
            app.execute('select api.authenticate(%s)', [bob])
            for schema, name in (
                ('api', 'sweeps'),
                ('api', 'sweep_results'),
                ('strategy', 'sweeps'),
                ('strategy', 'sweep_results'),
            ):
                seen = app.execute(
                    sql.SQL('select count(*) from {}').format(sql.Identifier(schema, name))
                ).fetchone()
                assert seen[0] == 0, name
        query = 'select count(*) from api.sweep_backtest(%s, %s, %s, %s, %s::jsonb)'
        assert sqlstate(app, bob, query, [strategy, market, START, end, grid]) == '42501'
        # The public catalogue: anyone sweeps it, and sees only their own sweep.
        with app.transaction():
            app.execute('select api.authenticate(%s)', [bob])
            public = app.execute(
                "select id from api.strategies where name = 'SMA Crossover 10/20'"
            ).fetchone()[0]
            app.execute(query, [public, market, START, end, '{"fast": [5, 10]}'])
            assert app.execute('select count(*) from api.sweeps').fetchone()[0] == 1
            assert app.execute('select count(*) from api.sweep_results').fetchone()[0] == 2
        with app.transaction():
            app.execute('select api.authenticate(%s)', [alice])
            assert [r[0] for r in app.execute('select id from api.sweeps')] == [sweep]


def test_invariants_hold(conn, market):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def test_demo_strategies_step(db_url, capsys):
    from tradebase import demo

    demo.strategies(db_url)
    out = capsys.readouterr().out
    assert '== backtest: SMA crossover 10/30' in out and 'sharpe_ratio' in out
    assert '== sweep: fast [5, 10, 20] x slow [30, 60]' in out
    # The sweep's table: a header, its rule and the six combinations.
    sweep = out.split('== sweep:')[1].splitlines()[1:]
    assert len([line for line in sweep if line.strip()]) == 8
