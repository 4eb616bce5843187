"""System actors (DESIGN §3, issue 14 §1): only the owner and members of tradebase_worker may assume one
(app.act_as_system), never an app login or support staff, decided by the login role; what a worker
does as one is audited under the actor's name and its login. tests/pgtap/test_place_order.sql covers
what a system actor does once assumed."""

import psycopg
import pytest
from psycopg import sql

from conftest import role_url

WORKER = 'tb_test_actor_worker'
APP_AND_WORKER = 'tb_test_actor_app_worker'


def _login(conn: psycopg.Connection, name: str, *groups: str) -> None:
    if not conn.execute('select 1 from pg_roles where rolname = %s', [name]).fetchone():
        conn.execute(sql.SQL('create role {} login').format(sql.Identifier(name)))
    for group in groups:
        conn.execute(sql.SQL('grant {} to {}').format(sql.Identifier(group), sql.Identifier(name)))


@pytest.mark.parametrize('login', ['tb_test_app', 'tb_test_admin', 'tb_test_analyst'])
def test_app_logins_and_support_staff_cannot_assume_a_system_actor(db_url, login):
    with (
        psycopg.connect(role_url(db_url, login), autocommit=True) as c,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        c.execute("select app.act_as_system('scheduler')")


def test_the_function_itself_refuses_a_worker_that_is_also_an_app(conn, db_url):
    # A login in both groups gets EXECUTE through tradebase_worker: the check on the login role refuses it.
    _login(conn, APP_AND_WORKER, 'tradebase_worker', 'tradebase_app')
    with (
        psycopg.connect(role_url(db_url, APP_AND_WORKER), autocommit=True) as c,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match='may not act as a system actor'),
    ):
        c.execute("select app.act_as_system('scheduler')")
    assert conn.execute(
        "select count(*) from audit.log where event = 'system_actor_assumed' and session_user_name = %s",
        [APP_AND_WORKER],
    ).fetchone() == (0,)


def test_a_worker_acts_as_a_system_actor_and_is_audited_under_its_name(conn, db_url):
    _login(conn, WORKER, 'tradebase_worker')
    with psycopg.connect(role_url(db_url, WORKER)) as c:
        assert c.execute("select app.act_as_system('copy_trading')").fetchone() == ('copy_trading',)
        # The signed context lasts for the transaction (test_place_order.sql reads it: no user, no scopes).
        assert c.execute(
            "select current_setting('tradebase.context') like '%/copy_trading/%'"
        ).fetchone() == (True,)
        with pytest.raises(psycopg.errors.NoDataFound):
            c.execute("select app.act_as_system('nobody')")
        c.rollback()
        with c.transaction():
            c.execute("select app.act_as_system('copy_trading')")
        assert c.execute("select current_setting('tradebase.context', true)").fetchone() in {(None,), ('',)}
    rows = conn.execute(
        'select actor, acting_user_id from audit.log'
        " where event = 'system_actor_assumed' and session_user_name = %s",
        [WORKER],
    ).fetchall()
    assert rows == [('copy_trading', None)]  # the rolled-back one left nothing
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
