"""Orders through the app role: authentication, ownership (42501), RLS on the api views, admin-only
housekeeping, and tradebase.client's typed wrappers and exceptions."""

import threading
import uuid
from decimal import Decimal

import psycopg
import pytest

from tradebase import config, errors
from tradebase.client import Client


def register(app_conn, name: str) -> tuple[uuid.UUID, str, uuid.UUID]:
    """A new user (as the app role): its id, a session token and its default paper account."""
    password = 'correct horse battery staple'
    user_id = app_conn.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, password]
    ).fetchone()[0]
    token = app_conn.execute('select api.login(%s, %s)', [name, password]).fetchone()[0]
    account = Client(app_conn, token=token)._one('select id from api.accounts where is_default', [])
    return user_id, token, account


@pytest.fixture
def world(conn, app_conn):
    suffix = uuid.uuid4().hex[:6]
    conn.execute("select api.upsert_security('RLS', 'RLS test', 'stock')")
    conn.execute("select api.upsert_security('EURO', 'Euro stock', 'stock', null, 'EUR')")
    conn.execute("insert into market.fx_rates values ('USD', 'EUR', now() - interval '1 day', 0.8)")
    conn.execute("select api.record_price('RLS', 50, clock_timestamp())")
    conn.execute("select api.record_price('EURO', 20, clock_timestamp())")
    a = register(app_conn, f'ord_a_{suffix}')
    b = register(app_conn, f'ord_b_{suffix}')
    return a, b


def test_trade_cancel_and_read_own_rows_only(conn, app_conn, world):
    (_, token_a, acct_a), (_, token_b, acct_b) = world
    alice, bob = Client(app_conn, token=token_a), Client(app_conn, token=token_b)

    filled = alice.execute_paper_trade(acct_a, 'RLS', 'buy', 10)
    assert (filled.status, filled.filled_quantity, filled.average_fill_price) == ('filled', 10, 50)
    resting = bob.execute_paper_trade(acct_b, 'RLS', 'buy', 5, 'limit', Decimal('40'), time_in_force='gtc')
    assert resting.status == 'new' and resting.reserved_cash == 200

    with pytest.raises(errors.NotAllowed):
        alice.execute_paper_trade(acct_b, 'RLS', 'buy', 1)
    with pytest.raises(errors.NotAllowed):
        alice.cancel_order(resting.id)

    [pos] = alice.positions(acct_a)
    assert (pos.symbol, pos.quantity, pos.cost_basis) == ('RLS', 10, 500)
    assert (pos.market_value, pos.unrealized_pnl) == (500, 0)
    assert alice.positions(acct_b) == []
    with alice._transaction() as c:
        assert c.execute('select count(*) from api.orders where account_id = %s', [acct_b]).fetchone()[0] == 0
        assert c.execute('select count(*) from api.fills').fetchone()[0] == 1
    with bob._transaction() as c:
        assert c.execute('select count(*) from api.fills').fetchone()[0] == 0

    assert bob.cancel_order(resting.id).status == 'canceled'
    with pytest.raises(errors.OrderNotOpen):
        bob.cancel_order(resting.id)
    assert conn.execute('select count(*) from ops.verify_invariants()').fetchone()[0] == 0


def test_market_value_in_account_currency(conn, app_conn, world):
    (_, token_a, acct_a), _ = world
    alice = Client(app_conn, token=token_a)
    # 20 EUR at 1 USD = 0.8 EUR, i.e. 25 USD a share: 4 shares cost 100 USD.
    assert alice.execute_paper_trade(acct_a, 'EURO', 'buy', 4).status == 'filled'
    conn.execute("select api.record_price('EURO', 22, clock_timestamp())")
    [pos] = [p for p in alice.positions(acct_a) if p.symbol == 'EURO']
    assert (pos.cost_basis, pos.market_price, pos.market_value, pos.unrealized_pnl) == (100, 22, 110, 10)


def test_anonymous_and_non_admin_callers_are_refused(app_conn, world):
    (_, token_a, acct_a), _ = world
    # Anonymous callers are refused by the ledger's trading.authorized_account (TB008 or 42501, its contract).
    with pytest.raises((errors.NotAuthenticated, errors.NotAllowed)):
        Client(app_conn).execute_paper_trade(acct_a, 'RLS', 'buy', 1)
    alice = Client(app_conn, token=token_a)
    for call in ('select api.expire_orders()', "select api.match_resting_orders('RLS')"):
        with pytest.raises(errors.NotAllowed):
            alice._one(call, [])


def test_idempotency_conflict_maps_to_its_exception(app_conn, world):
    (_, token_a, acct_a), _ = world
    alice = Client(app_conn, token=token_a)
    first = alice.execute_paper_trade(acct_a, 'RLS', 'buy', 1, client_order_id='k-1')
    assert alice.execute_paper_trade(acct_a, 'RLS', 'buy', 1, client_order_id='k-1').id == first.id
    with pytest.raises(errors.OrderIdempotencyConflict):
        alice.execute_paper_trade(acct_a, 'RLS', 'buy', 2, client_order_id='k-1')
    with pytest.raises(errors.InvalidParameter):
        alice.execute_paper_trade(acct_a, 'RLS', 'hold', 1)


def test_events_reach_listeners(conn, db_url, app_conn, world):
    (_, token_a, acct_a), _ = world
    alice = Client(app_conn, token=token_a)
    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute('listen tradebase_events')
        rejected = alice.execute_paper_trade(acct_a, 'RLS', 'buy', 10**9)
        filled = alice.execute_paper_trade(acct_a, 'RLS', 'buy', 1)
        # Both are outbox events; the consumers (run here inline, as tradebase worker does) announce them.
        assert conn.execute('select api.announce_events()').fetchone()[0] >= 2
        ids = [n.payload for n in listener.notifies(timeout=1)]
    # The channel carries only notification ids; the events are read through api.notifications (RLS).
    with alice._transaction() as c:
        events = c.execute(
            'select data, kind from api.notifications where id = any(%s::uuid[])', [ids]
        ).fetchall()
    by_order = {data.get('order_id'): kind for data, kind in events}
    assert by_order[str(rejected.id)] == 'order_rejected'
    assert by_order[str(filled.id)] == 'order_filled'
    pending = 'select count(*) from notify.notifications where announced_at is null'
    assert conn.execute(pending).fetchone()[0] == 0
    with pytest.raises(errors.NotAllowed):
        alice._one('select api.announce_events()', [])
    with pytest.raises(errors.InvalidParameter):
        Client(conn)._one('select api.announce_events(0)', [])


def test_demo_walkthrough(db_url, capsys):
    from tradebase import demo

    demo.walkthrough(db_url)
    out = capsys.readouterr().out
    assert 'new price 94.00: 1 resting order(s) filled' in out
    assert 'new price 89.00: 1 resting order(s) filled' in out
    assert '== invariants: all hold' in out


def test_client_risk_rules_notifications_and_reset(conn, app_conn, world):
    (_, token_a, acct_a), _ = world
    alice = Client(app_conn, token=token_a)
    alice.create_risk_rule('MAX_ORDER_NOTIONAL', 100, acct_a)
    rejected = alice.execute_paper_trade(acct_a, 'RLS', 'buy', 3)
    assert rejected.status == 'rejected' and rejected.reject_reason.startswith('risk rule MAX_ORDER_NOTIONAL')
    conn.execute('select api.announce_events()')  # the consumers, as tradebase worker runs them
    unread = alice.notifications(unread_only=True)
    assert {'order_rejected', 'risk_alert'} <= {n.kind for n in unread}
    assert alice.mark_notifications_read([n.id for n in unread]) == len(unread)
    assert alice.notifications(unread_only=True) == []
    with pytest.raises(errors.InvalidParameter):
        alice.create_risk_rule('MAX_LEVERAGE', 2)
    alice.reset_paper_account(acct_a)
    assert all(p.quantity == 0 for p in alice.positions(acct_a))


def test_client_calls_wait_for_a_deploy_and_never_run_across_it(db_url, app_conn, world):
    """tradebase.client takes the deploy barrier shared in every transaction: while a deploy holds it, a
    call waits, and it runs once the deploy has committed (docs: README, "Migrations hold state")."""
    (_, token_a, acct_a), _ = world
    alice = Client(app_conn, token=token_a)
    with psycopg.connect(db_url) as deploy:
        deploy.execute('select pg_advisory_xact_lock(hashtextextended(%s, 0))', [config.DEPLOY_BARRIER_KEY])
        done = threading.Event()
        placed: list = []
        worker = threading.Thread(
            target=lambda: (placed.append(alice.execute_paper_trade(acct_a, 'RLS', 'buy', 1)), done.set())
        )
        worker.start()
        assert not done.wait(1.0), 'the call ran while a deploy held the barrier'
        deploy.commit()
    worker.join(10)
    assert done.is_set() and placed[0].status == 'filled'
