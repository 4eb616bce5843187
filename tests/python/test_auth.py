"""Identity across real transactions and connections: lockout that survives, racing registrations,
parallel failed logins, and the Python exceptions of the TB codes."""

import threading

import psycopg
import pytest

from conftest import role_url
from tradebase import errors


def register(conn, name: str) -> str:
    return conn.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@auth.example', name, 'long password 123']
    ).fetchone()[0]


def test_failures_persist_and_lock_across_transactions(app_conn):
    register(app_conn, 'lockme')
    for _ in range(5):
        # Autocommit: each failed login is its own transaction, and its count must survive.
        assert app_conn.execute("select api.login('lockme', 'wrong password!')").fetchone()[0] is None
    with pytest.raises(psycopg.Error) as caught:
        app_conn.execute("select api.login('lockme', 'long password 123')")
    assert isinstance(errors.translate(caught.value), errors.AccountLocked)


def test_racing_registrations_get_a_clean_error(db_url):
    """The second of two concurrent registrations of one email waits on the unique index, then gets TB006."""
    url = role_url(db_url, 'tb_test_app')
    with psycopg.connect(url) as first, psycopg.connect(url) as second:
        first.execute("select api.register_user('race@auth.example', 'racer1', 'long password 123')")
        outcome = []

        def run():
            try:
                second.execute("select api.register_user('RACE@auth.example', 'racer2', 'long password 123')")
                outcome.append('registered')
            except psycopg.Error as err:
                outcome.append(errors.translate(err))

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), 'the second registration should wait for the first transaction'
        first.commit()
        thread.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], errors.DuplicateEmail)


def test_parallel_failed_logins_count_exactly(db_url, conn):
    """Failures are serialised on the user's security row: 4 parallel failures leave the counter at 4."""
    user_id = register(conn, 'parallel')
    url = role_url(db_url, 'tb_test_app')

    def fail():
        with psycopg.connect(url, autocommit=True) as c:
            c.execute("select api.login('parallel', 'wrong password!')")

    threads = [threading.Thread(target=fail) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    row = conn.execute(
        'select failed_login_attempts, account_locked_until from auth.user_security where user_id = %s',
        [user_id],
    ).fetchone()
    assert row == (4, None)
    failures = conn.execute(
        "select count(*) from audit.log where event = 'login_failure' and acting_user_id = %s", [user_id]
    ).fetchone()[0]
    assert failures == 4


@pytest.mark.parametrize(
    ('call', 'exc'),
    [
        ("select api.authenticate('tbs_nope')", errors.InvalidToken),
        ("select api.register_user('a@b.cd', 'shorty', 'short')", errors.WeakPassword),
        ("select api.create_api_key('k')", errors.NotAuthenticated),
    ],
)
def test_tb_codes_map_to_exceptions(app_conn, call, exc):
    with pytest.raises(psycopg.Error) as caught:
        app_conn.execute(call)
    assert isinstance(errors.translate(caught.value), exc)


def test_invariants_hold(conn):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
