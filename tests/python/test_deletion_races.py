"""api.delete_account against a call of the same user that creates something outliving the deletion, in
both orders (docs/security.md, api.delete_account).

Both take the user's row first (the deletion's update, auth.hold_active_user), so the second waits for the
first's commit: an account or a platform connection made first is seen by the deletion (the account
archived, the connection disconnected and its credentials destroyed); one made second finds the user
deleted (TB004). Never an active account of a deleted user (an order on it would rest and fill later), nor
a connection with stored credentials. Without the hold, a connection made second waited on the security
row the deletion had just cleared and was stored after it, and an account made either way was never seen.
"""

import psycopg

from conftest import race

PASSWORD = 'a long enough password 1'


def test_a_deletion_and_a_new_account_or_platform_connection_at_once(db_url):
    names = ('acc_first', 'acc_second', 'conn_first', 'conn_second')
    with psycopg.connect(db_url, autocommit=True) as su:
        ids = {
            name: su.execute(
                'select api.register_user(%s, %s, %s)', [f'{name}@deletion-races.example', name, PASSWORD]
            ).fetchone()[0]
            for name in names
        }

    delete = 'select api.delete_account(%s)'
    create = "select api.create_account('Late', 'paper')"
    connect = "select api.connect_platform('zerodha', 'key', 'secret')"

    def made_first(name, call):
        return race(db_url, [(ids[name], call, []), (ids[name], delete, [PASSWORD])])

    def made_second(name, call):
        return race(db_url, [(ids[name], delete, [PASSWORD]), (ids[name], call, [])])

    outcomes = {
        'acc_first': made_first('acc_first', create),
        'acc_second': made_second('acc_second', create),
        'conn_first': made_first('conn_first', connect),
        'conn_second': made_second('conn_second', connect),
    }
    assert outcomes == {
        'acc_first': [None, None],
        'acc_second': [None, 'TB004'],
        'conn_first': [None, None],
        'conn_second': [None, 'TB004'],
    }

    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            'select u.username, u.is_active,'
            " (select count(*) from trading.accounts as a where a.user_id = u.id and a.status <> 'archived'),"
            " (select count(*) from trading.accounts as a where a.user_id = u.id and a.name = 'Late'),"
            ' (select count(*) from auth.platform_connections as c where c.user_id = u.id'
            " and c.status <> 'disconnected'),"
            ' (select count(*) from auth.platform_credentials as p inner join auth.platform_connections as c'
            ' on p.connection_id = c.id where c.user_id = u.id)'
            ' from auth.users as u where u.username = any(%s) order by u.username',
            [list(names)],
        ).fetchall() == [
            ('acc_first', False, 0, 1, 0, 0),
            ('acc_second', False, 0, 0, 0, 0),
            ('conn_first', False, 0, 0, 0, 0),
            ('conn_second', False, 0, 0, 0, 0),
        ]
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []
