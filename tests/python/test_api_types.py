"""Issue 14 §5: api functions return api types, and tradebase.client reads columns by name.

This module's database gets a scratch change, a column added to trading.orders (as a migration would add
one); then every api function that returns a row (all of them about orders and their sessions) is called
through tradebase.client and directly, and every api view is read: nothing breaks, and no caller sees the
new column. The catalog side (no api function returns a table's storage type) is the catalog lint
`api_returns_storage_type` (tests/pgtap/test_catalog_lint.sql).
"""

import uuid
from dataclasses import fields
from decimal import Decimal

import pytest
from psycopg import sql
from psycopg.rows import dict_row

from tradebase.client import Client, Order

# Every api function whose result is one composite row, and the api type it returns. A new one belongs here
# (and in test_scratch_column_breaks_no_caller) so the scratch change is tried on it too.
ROW_FUNCTIONS = {
    'cancel_order': 'api.orders',
    'end_trading_session': 'api.trading_sessions',
    'execute_paper_trade': 'api.orders',
    'fund_trade': 'api.orders',
    'subscribe': 'api.fund_flows',
    'redeem': 'api.fund_flows',
    'cancel_fund_flow': 'api.fund_flows',
    'strike_nav': 'api.fund_nav',
    'fund_nav': 'api.fund_nav',
    'fund_positions': 'api.fund_position',
    'set_fund_status': 'api.funds',
    'set_fund_crystallization_date': 'api.funds',
}


def _columns(conn, relation: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            'select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 '
            'and not attisdropped order by attnum',
            [relation],
        )
    ]


@pytest.fixture(scope='module')
def scratch(db_url):
    """The module's database with a column added to trading.orders, as the superuser."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute('alter table trading.orders add column scratch_note text')
        c.execute("update trading.orders set scratch_note = 'scratch'")
    return db_url


def test_every_row_returning_api_function_returns_an_api_type(conn):
    rows = conn.execute(
        """
        select p.proname, p.prorettype::regtype::text
        from pg_proc as p
        inner join pg_type as t on p.prorettype = t.oid
        where p.pronamespace = 'api'::regnamespace and t.typtype = 'c'
        """
    ).fetchall()
    assert dict(rows) == ROW_FUNCTIONS


def test_scratch_column_breaks_no_caller(scratch, conn, app_conn):
    assert 'scratch_note' in _columns(conn, 'trading.orders')
    suffix = uuid.uuid4().hex[:6]
    conn.execute("select api.upsert_security('SCR', 'Scratch test', 'stock')")
    conn.execute("select api.record_price('SCR', 40, clock_timestamp())")
    password = 'correct horse battery staple'
    name = f'scratch_{suffix}'
    app_conn.execute('select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, password])
    token = app_conn.execute('select api.login(%s, %s)', [name, password]).fetchone()[0]
    client = Client(app_conn, token=token)
    account = client._one('select id from api.accounts where is_default', [])
    client._one('select api.start_trading_session(%s)', [account])

    # Through tradebase.client: the rows come back as Orders, read by name.
    filled = client.execute_paper_trade(account, 'SCR', 'buy', 3)
    assert (filled.symbol, filled.status, filled.filled_quantity, filled.remaining_quantity) == (
        'SCR',
        'filled',
        3,
        0,
    )
    again = client.execute_paper_trade(account, 'SCR', 'buy', 3, client_order_id=f'c-{suffix}')
    assert client.execute_paper_trade(account, 'SCR', 'buy', 3, client_order_id=f'c-{suffix}') == again
    rejected = client.execute_paper_trade(account, 'SCR', 'sell', 1000)
    assert (rejected.status, rejected.symbol) == ('rejected', 'SCR')
    resting = client.execute_paper_trade(
        account, 'SCR', 'buy', 2, 'limit', Decimal('30'), time_in_force='gtc'
    )
    assert (resting.status, resting.remaining_quantity, resting.reserved_cash) == ('new', 2, 60)
    canceled = client.cancel_order(resting.id)
    assert (canceled.id, canceled.status, canceled.reserved_cash) == (resting.id, 'canceled', 0)
    assert [p.quantity for p in client.positions(account)] == [6]
    assert client.notifications() is not None

    # Directly, as an app would with `select *`: the api type's columns, never the storage type's.
    with client._transaction() as c:
        c.row_factory = dict_row
        order = c.execute(
            "select * from api.execute_paper_trade(%s, 'SCR', 'buy', 1, 'limit', 35, null, 'gtc')", [account]
        ).fetchone()
        assert list(order) == _columns(conn, 'api.orders') == [f.name for f in fields(Order)]
        assert order['status'] == 'new'
        canceled = c.execute('select * from api.cancel_order(%s)', [order['id']]).fetchone()
        assert list(canceled) == list(order) and canceled['status'] == 'canceled'
        session = c.execute('select * from api.end_trading_session(%s)', [account]).fetchone()
        assert list(session) == _columns(conn, 'api.trading_sessions')
        assert (session['orders_count'], session['filled_orders']) == (5, 2)
        assert 'scratch_note' not in order and 'scratch_note' not in session

        # Every api view still reads, and none shows the new column.
        views = [
            r['name']
            for r in c.execute(
                'select c.oid::regclass::text as name from pg_class as c '
                "where c.relnamespace = 'api'::regnamespace and c.relkind = 'v' order by 1"
            )
        ]
        assert 'api.orders' in views
        for view in views:
            cur = c.execute(sql.SQL('select * from {} limit 5').format(sql.SQL(view)))
            cur.fetchall()
            assert 'scratch_note' not in [d.name for d in cur.description], view
        assert (
            c.execute('select count(*) from api.orders where account_id = %s', [account]).fetchone()['count']
            == 5
        )

    assert conn.execute('select count(*) from ops.verify_invariants()').fetchone()[0] == 0
