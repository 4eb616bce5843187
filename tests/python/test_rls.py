"""Row-level security and the request context, as a real app login (tb_test_app, a member of tradebase_app).

User A owns rows in every identity table; user B, authenticated with B's token on the same app
connection, sees none of them through any table or api view the app can read, cannot act on A's
objects, and cannot become A by setting the context or calling act_as.
"""

import psycopg
import pytest
from psycopg import errors as pgerr
from psycopg import sql

from conftest import role_url

# The identity views; every auth table the app may read is found in the catalog. Other domains add
# their own matrix for their tables and views.
IDENTITY_VIEWS = (
    'api.users',
    'api.user_preferences',
    'api.user_settings',
    'api.platform_connections',
    'api.sync_logs',
)


@pytest.fixture(scope='module')
def world(db_url):
    """Users A and B registered and logged in through the app role; A owns one row of everything."""
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        ids, tokens = {}, {}
        for name in ('a', 'b'):
            ids[name] = app.execute(
                'select api.register_user(%s, %s, %s)',
                [f'{name}@rls.example', f'user_{name}', 'long password 123'],
            ).fetchone()[0]
            tokens[name] = app.execute(
                'select api.login(%s, %s)', [f'user_{name}', 'long password 123']
            ).fetchone()[0]
        with app.transaction():
            app.execute('select api.authenticate(%s)', [tokens['a']])
            app.execute("select api.create_api_key('a-key')")
            app.execute("select api.set_user_setting('ui.layout', '{\"cols\": 2}')")
            app.execute('select api.update_preferences(%s)', ['{"theme": "dark"}'])
            conn_id = app.execute("select api.connect_platform('binance', 'AK', 'SK')").fetchone()[0]
            app.execute("select api.record_sync(%s, 'manual', 'completed', 1, 2)", [conn_id])
            key_id = app.execute('select id from api.list_api_keys()').fetchone()[0]
    return {'ids': ids, 'tokens': tokens, 'connection': conn_id, 'key': key_id}


def owner_column(conn, rel: str) -> str | None:
    """The column naming the owning user: user_id, or id for auth.users."""
    if rel == 'auth.users' or rel == 'api.users':
        return 'id'
    row = conn.execute(
        'select 1 from pg_attribute '
        "where attrelid = %s::regclass and attname = 'user_id' and not attisdropped",
        [rel],
    ).fetchone()
    return 'user_id' if row else None


def readable_relations(conn) -> list[str]:
    """The identity views and every auth table the app role may SELECT."""
    rows = conn.execute(
        """
        select c.oid::regclass::text
        from pg_class as c
        where c.relnamespace = 'auth'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
          and has_table_privilege('tradebase_app', c.oid, 'select')
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows] + list(IDENTITY_VIEWS)


def test_b_sees_none_of_a_rows_anywhere(app_conn, conn, world):
    a, b = world['ids']['a'], world['ids']['b']
    relations = readable_relations(conn)
    assert len(relations) == 10
    for rel in relations:
        col = owner_column(conn, rel)
        assert col, f'{rel} has no owner column to prove RLS with'
        query = sql.SQL(
            'select count(*) filter (where {c} = %s), count(*) filter (where {c} = %s) from {t}'
        ).format(c=sql.Identifier(col), t=sql.SQL(rel))
        with app_conn.transaction():
            assert app_conn.execute(query, [a, b]).fetchone() == (0, 0), f'anonymous sees rows in {rel}'
            app_conn.execute('select api.authenticate(%s)', [world['tokens']['b']])
            seen_a, seen_b = app_conn.execute(query, [a, b]).fetchone()
            assert seen_a == 0, f'B sees A rows in {rel}'
            app_conn.execute('select api.authenticate(%s)', [world['tokens']['a']])
            seen_a, seen_b = app_conn.execute(query, [a, b]).fetchone()
            # A sees their own rows, so the zero counts above are not vacuous.
            assert (seen_a > 0, seen_b) == (True, 0), f'A in {rel}: {seen_a} own rows, {seen_b} of B'


def test_tables_holding_secrets_are_unreadable(app_conn, analyst_conn):
    for table in (
        'auth.user_security',
        'auth.user_sessions',
        'auth.api_keys',
        'auth.platform_credentials',
        'auth.secrets',
        'auth.settings',
        'audit.log',
    ):
        for c in (app_conn, analyst_conn):
            with pytest.raises(pgerr.InsufficientPrivilege):
                c.execute(sql.SQL('select 1 from {} limit 1').format(sql.SQL(table)))


def test_b_cannot_act_on_a_objects(app_conn, world):
    calls = [
        ('select api.revoke_api_key(%s)', [world['key']]),
        ('select api.disconnect_platform(%s)', [world['connection']]),
        ("select api.record_sync(%s, 'manual', 'pending')", [world['connection']]),
        ('select * from api.platform_credentials(%s)', [world['connection']]),
    ]
    for query, args in calls:
        with app_conn.transaction():
            app_conn.execute('select api.authenticate(%s)', [world['tokens']['b']])
            with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
                app_conn.execute(query, args)
    with app_conn.transaction():
        app_conn.execute('select api.authenticate(%s)', [world['tokens']['a']])
        creds = app_conn.execute(
            'select api_key from api.platform_credentials(%s)', [world['connection']]
        ).fetchone()
        assert creds == ('AK',)


def test_the_app_cannot_write_tables_directly(app_conn, world):
    with app_conn.transaction():
        app_conn.execute('select api.authenticate(%s)', [world['tokens']['b']])
        for stmt in (
            'update auth.users set first_name = %s',
            'delete from auth.user_settings where name = %s',
            'insert into audit.log (operation, event) values (%s, %s)',
        ):
            with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
                app_conn.execute(stmt, ['x'] * stmt.count('%s'))


def test_forged_context_is_refused(app_conn, world):
    a = world['ids']['a']
    # Capture a genuine context of A, then replay it in a later transaction.
    with app_conn.transaction():
        app_conn.execute('select api.authenticate(%s)', [world['tokens']['a']])
        genuine = app_conn.execute("select current_setting('tradebase.context')").fetchone()[0]
    assert genuine.startswith(str(a))
    forged = [
        genuine,  # replayed from another transaction
        f'{a}/session//' + '0' * 64,  # typed by hand
        f'{a}/act_as//' + genuine.rsplit('/', 1)[1],  # a signature moved onto another payload
    ]
    for value in forged:
        for statement in ('set local tradebase.context = {}', 'set tradebase.context = {}'):
            with app_conn.transaction():
                app_conn.execute('select api.authenticate(%s)', [world['tokens']['b']])
                app_conn.execute(sql.SQL(statement).format(sql.Literal(value)))
                with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
                    app_conn.execute('select count(*) from api.users')
                with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
                    app_conn.execute("select api.set_user_setting('x', '1')")
            app_conn.execute('reset tradebase.context')


def test_act_as_and_role_switch_from_the_app_fail(app_conn, world):
    with pytest.raises(pgerr.InsufficientPrivilege):
        app_conn.execute('select api.act_as(%s)', [world['ids']['a']])
    for role in ('tradebase_owner', 'tradebase_admin'):
        with pytest.raises(pgerr.InsufficientPrivilege):
            app_conn.execute(sql.SQL('set role {}').format(sql.Identifier(role)))


def test_admin_acts_as_a_user_and_is_audited(db_url, conn, world):
    with psycopg.connect(role_url(db_url, 'tb_test_admin')) as admin:
        admin.execute('select api.act_as(%s)', [world['ids']['a']])
        assert admin.execute('select count(*) from api.platform_connections').fetchone()[0] == 1
        admin.commit()
    row = conn.execute(
        "select session_user_name from audit.log where event = 'act_as' and acting_user_id = %s",
        [world['ids']['a']],
    ).fetchone()
    assert row == ('tb_test_admin',)


def test_privilege_matrix(conn):
    """What each role may do on every identity and audit table (the §3 matrix)."""
    readable = {
        'auth.users',
        'auth.user_preferences',
        'auth.user_settings',
        'auth.platform_connections',
        'auth.sync_logs',
    }
    tables = [
        r[0]
        for r in conn.execute(
            'select oid::regclass::text from pg_class '
            "where relnamespace in ('auth'::regnamespace, 'audit'::regnamespace) "
            "and relkind in ('r', 'p') and not relispartition"
        ).fetchall()
    ]
    expected = {
        'tradebase_app': readable,
        'tradebase_admin': readable | {'audit.log'},
        'tradebase_analyst': set(),
    }
    for role, may_read in expected.items():
        for table in tables:
            can = conn.execute(
                "select has_table_privilege(%s, %s, 'select'), "
                "has_table_privilege(%s, %s, 'insert, update, delete, truncate')",
                [role, table, role, table],
            ).fetchone()
            assert can == (table in may_read, False), f'{role} on {table}'


def test_invariants_hold(conn):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
