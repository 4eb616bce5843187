"""Accounts and cash as an app sees them: RLS on api.accounts / api.transactions, 42501 for another
user's account, anonymous callers refused; connected as a login role that is a member of tradebase_app."""

import psycopg
import pytest

from tradebase import errors

PASSWORD = 'correct horse battery'


def register(app_conn, name: str) -> str:
    app_conn.execute(
        'select api.register_user(%s, %s, %s)',
        [f'{name}@example.com', name, PASSWORD],
    )
    return app_conn.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]


def call(app_conn, token: str | None, query: str, params=()):
    """Run one query in its own transaction, authenticated with token (anonymous when None)."""
    try:
        with app_conn.transaction():
            if token:
                app_conn.execute('select api.authenticate(%s)', [token])
            return app_conn.execute(query, params).fetchall()
    except psycopg.Error as err:
        raise errors.translate(err) from err


@pytest.fixture(scope='module')
def tokens(db_url):
    from conftest import role_url

    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as c:
        return {'a': register(c, 'ledger_alice'), 'b': register(c, 'ledger_bob')}


def default_account(app_conn, token):
    return call(app_conn, token, 'select id from api.accounts where is_default')[0][0]


def test_each_user_sees_only_their_accounts_and_postings(app_conn, tokens):
    a, b = default_account(app_conn, tokens['a']), default_account(app_conn, tokens['b'])
    call(app_conn, tokens['a'], 'select api.deposit(%s, 10)', [a])
    assert [r[0] for r in call(app_conn, tokens['a'], 'select id from api.accounts')] == [a]
    assert {r[0] for r in call(app_conn, tokens['a'], 'select account_id from api.transactions')} == {a}
    query = 'select count(*) from api.transactions where account_id = %s'
    assert call(app_conn, tokens['b'], query, [a]) == [(0,)]
    assert call(app_conn, tokens['b'], 'select count(*) from api.accounts where id = %s', [a]) == [(0,)]
    assert call(app_conn, None, 'select count(*) from api.accounts') == [(0,)]
    assert b != a


@pytest.mark.parametrize(
    'query',
    [
        'select api.deposit(%(victim)s, 1)',
        'select api.withdraw(%(victim)s, 1)',
        'select api.transfer_cash(%(victim)s, %(own)s, 1)',
        'select api.transfer_cash(%(own)s, %(victim)s, 1)',
        'select api.account_balance(%(victim)s)',
        'select api.start_trading_session(%(victim)s)',
        'select api.end_trading_session(%(victim)s)',
    ],
)
def test_another_users_account_is_not_allowed(app_conn, tokens, query):
    params = {'victim': default_account(app_conn, tokens['b']), 'own': default_account(app_conn, tokens['a'])}
    with pytest.raises(errors.NotAllowed):
        call(app_conn, tokens['a'], query, params)
    with pytest.raises(errors.NotAuthenticated):
        call(app_conn, None, query, params)


def test_only_operators_take_snapshots(app_conn, tokens):
    with pytest.raises(errors.NotAllowed):
        call(app_conn, tokens['a'], 'select api.snapshot_accounts(current_date)')


def test_anonymous_cannot_open_accounts(app_conn):
    with pytest.raises(errors.NotAuthenticated):
        call(app_conn, None, "select api.create_account('Mine')")


def test_own_accounts_and_templates(app_conn, tokens):
    new = call(app_conn, tokens['a'], "select api.create_account('Day', 'paper', 'day_trading')")[0][0]
    rows = call(app_conn, tokens['a'], 'select template, cash from api.accounts where id = %s', [new])
    assert rows == [('day_trading', 50000)]
    usage = call(
        app_conn, tokens['b'], "select usage_count from api.account_templates where name = 'day_trading'"
    )
    assert usage == [(1,)]  # counts every user's accounts, though b sees only their own


def test_the_app_role_cannot_write_ledger_tables(app_conn, tokens):
    with pytest.raises(errors.NotAllowed, match='permission denied for table accounts'):
        call(app_conn, tokens['a'], "update trading.accounts set cash = 1e9 where name = 'Paper Trading'")


def test_invariants_hold(conn):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
