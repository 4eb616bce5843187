"""8 connections trade, deposit, withdraw and cancel on a few shared accounts for 30 s (ORDERS_STRESS_SECONDS)
while prices move: no deadlock or serialization failure reaches a caller, cash never goes negative, and
ops.verify_invariants() is empty at the end."""

import contextlib
import os
import random
import threading
import time
import uuid
from decimal import Decimal

import psycopg
import pytest

from conftest import race, role_url
from tradebase import errors
from tradebase.client import Client

SECONDS = float(os.environ.get('ORDERS_STRESS_SECONDS', '30'))
WORKERS = 8
SYMBOLS = ('CCA', 'CCB')
# Business outcomes a caller may legitimately see under contention.
EXPECTED = (errors.OrderNotOpen, errors.InsufficientFunds)


@pytest.mark.slow
def test_parallel_trading_keeps_the_books(conn, db_url):
    for s in SYMBOLS:
        conn.execute("select api.upsert_security(%s, 'Concurrency', 'stock')", [s])
        conn.execute('select api.record_price(%s, 100, clock_timestamp())', [s])
    users = []
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        for i in range(3):
            name = f'cc_{i}_{uuid.uuid4().hex[:6]}'
            app.execute(
                'select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, 'correct horse battery']
            )
            token = app.execute('select api.login(%s, %s)', [name, 'correct horse battery']).fetchone()[0]
            account = Client(app, token=token)._one('select id from api.accounts where is_default', [])
            users.append((token, account))

    stop = time.monotonic() + SECONDS
    failures: list[BaseException] = []
    counts = {'calls': 0}

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with (
                psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as c,
                psycopg.connect(db_url, autocommit=True) as su,
            ):
                clients = [(Client(c, token=t), a) for t, a in users]
                open_orders: list[uuid.UUID] = []
                while time.monotonic() < stop:
                    client, account = rng.choice(clients)
                    op = rng.random()
                    try:
                        if op < 0.35:
                            client.execute_paper_trade(
                                account, rng.choice(SYMBOLS), rng.choice(('buy', 'sell')), rng.randint(1, 20)
                            )
                        elif op < 0.55:
                            order = client.execute_paper_trade(
                                account,
                                rng.choice(SYMBOLS),
                                rng.choice(('buy', 'sell')),
                                rng.randint(1, 20),
                                'limit',
                                Decimal(rng.randint(90, 110)),
                                time_in_force='gtc',
                            )
                            open_orders.append(order.id)
                        elif op < 0.65 and open_orders:
                            client.cancel_order(open_orders.pop(rng.randrange(len(open_orders))))
                        elif op < 0.75:
                            client.deposit(account, rng.randint(1, 500))
                        elif op < 0.85:
                            client.withdraw(account, rng.randint(1, 5000))
                        else:
                            su.execute(
                                'select api.record_price(%s, %s, clock_timestamp())',
                                [rng.choice(SYMBOLS), Decimal(rng.randint(9000, 11000)) / 100],
                            )
                    except EXPECTED:
                        pass
                    except errors.NotAllowed as err:
                        # A cancel of an order another worker placed for a different user's account.
                        if 'another user' not in err.message:
                            raise
                    counts['calls'] += 1
        except BaseException as err:
            failures.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == [], failures[:3]
    assert counts['calls'] > WORKERS * 10
    assert conn.execute('select count(*) from trading.accounts where cash < 0').fetchone()[0] == 0
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
    filled = conn.execute('select count(*) from trading.fills').fetchone()[0]
    assert filled > 0


def test_an_account_in_use_blocks_only_itself(conn, db_url):
    """While one transaction holds an order on account A open, an order and a deposit on account B in the same
    symbol go through at once (no shared row: the security is only read, system accounts have no balance row),
    and a second order on A waits for A (lock_timeout shows it)."""
    conn.execute("select api.upsert_security('NGL', 'No global lock', 'stock')")
    conn.execute("select api.record_price('NGL', 50, clock_timestamp())")
    accounts = []
    for side in ('a', 'b'):
        name = f'ngl_{side}_{uuid.uuid4().hex[:6]}'
        user = conn.execute(
            'insert into auth.users (email, username) values (%s, %s) returning id',
            [f'{name}@example.com', name],
        ).fetchone()[0]
        accounts.append(
            conn.execute('select id from trading.accounts where user_id = %s', [user]).fetchone()[0]
        )
    a, b = accounts
    trade = "select (api.execute_paper_trade(%s, 'NGL', 'buy', 2)).status::text"
    # System accounts appear on first use, and a first use waits for the one before it to commit (once per
    # purpose and currency); an order and a deposit, committed, make them here.
    conn.execute(trade, [b])
    conn.execute('select api.deposit(%s, 10)', [b])
    with (
        psycopg.connect(db_url) as holder,
        psycopg.connect(db_url, autocommit=True) as other,
        psycopg.connect(db_url, autocommit=True) as same,
    ):
        assert holder.execute(trade, [a]).fetchone()[0] == 'filled'  # its transaction stays open
        other.execute("set lock_timeout = '2s'")
        assert other.execute(trade, [b]).fetchone()[0] == 'filled'
        other.execute('select api.deposit(%s, 10)', [b])
        same.execute("set lock_timeout = '200ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            same.execute(trade, [a])
        holder.commit()
    assert (
        conn.execute(
            'select count(*) from trading.fills as f where f.account_id in (%s, %s)', [a, b]
        ).fetchone()[0]
        == 3
    )
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


THROUGH_ZERO_SECONDS = float(os.environ.get('THROUGH_ZERO_SECONDS', '8'))


@pytest.mark.slow
def test_orders_through_zero_never_block_the_price_feed(conn, db_url):
    """Issue 13: a resting order that would take a position through zero made every api.record_price of the
    symbol fail (23514) for everyone, or silently took +8 to -2. Four threads, each on its own short-enabled
    account, keep placing the issue's orders (flat: a stop sell, a smaller market buy, mostly a limit sell
    holding the units bought) while a fifth records prices through the stops: every tick goes through, the
    stops that would cross zero fill to zero (or to what the limit order leaves) and the rest is canceled with
    a reason (hundreds of times in a run), no position's open lots change sign, and ops.verify_invariants() is
    empty at the end. Before the fix the price thread failed with 23514."""
    symbol = 'FLP'
    conn.execute("select api.upsert_security(%s, 'Through zero', 'stock')", [symbol])
    conn.execute('select api.record_price(%s, 100, clock_timestamp())', [symbol])
    traders = []
    for i in range(4):
        name = f'tz_{i}_{uuid.uuid4().hex[:6]}'
        with conn.transaction():
            user = conn.execute(
                'insert into auth.users (email, username) values (%s, %s) returning id',
                [f'{name}@example.com', name],
            ).fetchone()[0]
            conn.execute('select api.act_as(%s)', [user])
            account = conn.execute(
                "select api.create_account('Shorts', 'paper', null, 1000000, 'USD', %s)",
                ['{"allow_short": true}'],
            ).fetchone()[0]
        traders.append((user, account))

    stop = time.monotonic() + THROUGH_ZERO_SECONDS
    failures: list[BaseException] = []
    ticks = {'ok': 0}

    def trader(seed: int, user: uuid.UUID, account: uuid.UUID) -> None:
        rng = random.Random(seed)
        try:
            with psycopg.connect(db_url, autocommit=True) as c:
                client = Client(c, act_as=user)
                open_orders: list[uuid.UUID] = []
                while time.monotonic() < stop:
                    try:
                        # Flat and with nothing open, then the three orders in varying sizes and
                        # prices: a stop sell placed flat (a short sale), a market buy of less, and (mostly)
                        # a limit sell holding the units bought. The price thread takes some stops through.
                        for order_id in open_orders:
                            with contextlib.suppress(errors.OrderNotOpen):  # the engine ended it first
                                client.cancel_order(order_id)
                        open_orders.clear()
                        held = sum(p.quantity for p in client.positions(account) if p.symbol == symbol)
                        if held:
                            client.execute_paper_trade(
                                account, symbol, 'sell' if held > 0 else 'buy', abs(held)
                            )
                        size = rng.randint(1, 10)
                        order = client.execute_paper_trade(
                            account, symbol, 'sell', size + rng.randint(1, 5), 'stop',
                            stop_price=Decimal(rng.randint(95, 99)), time_in_force='gtc',
                        )  # fmt: skip
                        open_orders.append(order.id)
                        client.execute_paper_trade(account, symbol, 'buy', size)
                        if rng.random() < 0.7:
                            order = client.execute_paper_trade(
                                account, symbol, 'sell', size, 'limit', Decimal(rng.randint(101, 200)),
                                time_in_force='gtc',
                            )  # fmt: skip
                            open_orders.append(order.id)
                        time.sleep(rng.random() / 50)
                    except errors.OrderNotOpen:
                        pass
        except BaseException as err:
            failures.append(err)

    def prices() -> None:
        rng = random.Random(99)
        try:
            with psycopg.connect(db_url, autocommit=True) as c:
                while time.monotonic() < stop:
                    c.execute(
                        'select api.record_price(%s, %s, clock_timestamp())',
                        [symbol, Decimal(rng.randint(9000, 10600)) / 100],
                    )
                    ticks['ok'] += 1
        except BaseException as err:
            failures.append(err)

    threads = [threading.Thread(target=trader, args=(i, u, a)) for i, (u, a) in enumerate(traders)]
    threads.append(threading.Thread(target=prices))
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == [], failures[:3]
    assert ticks['ok'] > 20
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
    crossed = conn.execute(
        "select count(*) from trading.orders where cancel_reason like 'the order would take %'"
    ).fetchone()[0]
    assert crossed >= 10, f'only {crossed} orders came to cross zero; the scenario was not exercised'
    # No fill crossed zero: a position's open lots all have one sign.
    assert (
        conn.execute(
            'select count(*) from (select account_id from trading.lots where open_quantity <> 0 '
            'group by account_id, security_id having min(sign(quantity)) <> max(sign(quantity))) as mixed'
        ).fetchone()[0]
        == 0
    )


def _user_and_account(conn, prefix: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A new user and its default paper account (100,000 USD, no commission or slippage)."""
    name = f'{prefix}_{uuid.uuid4().hex[:6]}'
    user = conn.execute(
        'insert into auth.users (email, username) values (%s, %s) returning id', [f'{name}@example.com', name]
    ).fetchone()[0]
    return user, conn.execute('select id from trading.accounts where user_id = %s', [user]).fetchone()[0]


def _as(conn, user: uuid.UUID, query: str, params: list) -> None:
    with conn.transaction():
        conn.execute('select api.act_as(%s)', [user])
        conn.execute(query, params)


@pytest.mark.parametrize('order_first', [True, False], ids=['order_first', 'split_first'])
def test_an_order_placed_while_its_security_splits(conn, db_url, order_first):
    """An order placed in a security that a split is adjusting is placed wholly before the split, which then
    scales it, or wholly after it, at the split-adjusted quote: the security's advisory lock, which the
    placement takes shared and the split exclusively, each before any row lock (market.security_lock_key),
    makes one wait for the other. Before, neither waited: the placement read the pre-split quote, and its
    order was written after the split had scanned the resting orders (the buyer held neither a position nor an
    order in the security, so the split did not lock its account), so the market buy filled 10 units at 100
    that stayed 10 with the quote at 50, and the limit buy at 60 rested unscaled under the quote."""
    symbol = 'SPO' if order_first else 'SPF'
    conn.execute("select api.upsert_security(%s, 'Split race', 'stock')", [symbol])
    conn.execute('select api.record_price(%s, 100, clock_timestamp())', [symbol])
    holder, holding = _user_and_account(conn, 'sr_holder')
    buyer, account = _user_and_account(conn, 'sr_buyer')
    _as(conn, holder, "select api.execute_paper_trade(%s, %s, 'buy', 10)", [holding, symbol])

    place = (
        "select api.execute_paper_trade(%s, %s, 'buy', 10), "
        "api.execute_paper_trade(%s, %s, 'buy', 10, 'limit', 60, null, 'gtc')"
    )
    calls = [
        (buyer, place, [account, symbol, account, symbol]),
        (holder, 'select api.apply_split(%s, 2, 1, current_date)', [symbol]),
    ]
    assert race(db_url, calls if order_first else calls[::-1]) == [None, None]

    assert conn.execute(
        'select q.price from market.quotes as q join market.securities as s on q.security_id = s.id '
        'where s.symbol = %s',
        [symbol],
    ).fetchone() == (50,)
    orders = conn.execute(
        'select order_type, status, quantity, limit_price from trading.orders where account_id = %s '
        'order by order_type',
        [account],
    ).fetchall()
    position = conn.execute(
        'select quantity, cost_basis from trading.positions where account_id = %s', [account]
    ).fetchall()
    if order_first:
        # Placed at 100, then split: 20 units bought for 1,000, and the limit order for 20 at 30.
        assert orders == [('limit', 'new', 20, 30), ('market', 'filled', 10, None)]
    else:
        # Split, then placed at 50: both orders fill there, 20 units for 1,000.
        assert orders == [('limit', 'filled', 10, 60), ('market', 'filled', 10, None)]
    assert position == [(20, 1000)]
    assert conn.execute(
        'select quantity from trading.positions where account_id = %s', [holding]
    ).fetchone() == (20,)
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def _begin(db_url: str, user: uuid.UUID, query: str, params: list, outcome: dict) -> threading.Thread:
    """QUERY as USER in a transaction of its own on a thread, committed at once; OUTCOME[query] gets its
    SQLSTATE (None: committed)."""

    def run() -> None:
        try:
            with psycopg.connect(db_url, autocommit=True) as c, c.transaction():
                c.execute('select api.act_as(%s)', [user])
                c.execute(query, params)
            outcome[query] = None
        except psycopg.Error as err:
            outcome[query] = err.sqlstate

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_waiters(conn, count: int) -> None:
    """Until COUNT backends of this database wait for a lock."""
    for _ in range(250):
        if (
            conn.execute(
                'select count(*) from pg_stat_activity '
                "where datname = current_database() and wait_event_type = 'Lock'"
            ).fetchone()[0]
            >= count
        ):
            return
        time.sleep(0.02)
    raise AssertionError(f'{count} transactions did not come to wait')


def test_a_tick_and_a_split_of_one_symbol_never_deadlock(conn, db_url):
    """A split locks its holders' accounts and then the quote; a tick writes the quote and then locks the
    accounts of the resting orders it matches. Both take the security's advisory lock first (the tick shared,
    the split exclusively), so they queue instead of deadlocking. The interleaving, step by step: an order
    being placed on account B holds B; the split locks A and waits for B; a tick writes the quote and waits
    for A (its resting order); the order commits. Before, the split then waited for the quote and one of the
    two failed with 40P01."""
    symbol = 'SPT'
    conn.execute("select api.upsert_security(%s, 'Split and tick', 'stock')", [symbol])
    conn.execute('select api.record_price(%s, 100, clock_timestamp())', [symbol])
    (resting, a), (holding, b) = sorted(
        (_user_and_account(conn, 'st_a'), _user_and_account(conn, 'st_b')), key=lambda ua: ua[1]
    )
    _as(
        conn,
        resting,
        "select api.execute_paper_trade(%s, %s, 'buy', 10, 'limit', 90, null, 'gtc')",
        [a, symbol],
    )
    _as(conn, holding, "select api.execute_paper_trade(%s, %s, 'buy', 5)", [b, symbol])

    outcome: dict[str, str | None] = {}
    split = 'select api.apply_split(%s, 2, 1, current_date)'
    tick = 'select api.record_price(%s, 99)'
    with psycopg.connect(db_url, autocommit=True) as placing:
        placing.execute('begin')
        placing.execute('select api.act_as(%s)', [holding])
        placing.execute("select api.execute_paper_trade(%s, %s, 'buy', 1)", [b, symbol])
        threads = [_begin(db_url, holding, split, [symbol], outcome)]
        _wait_for_waiters(conn, 1)
        threads.append(_begin(db_url, resting, tick, [symbol], outcome))
        _wait_for_waiters(conn, 2)
        placing.execute('commit')
    for thread in threads:
        thread.join(30)

    assert outcome == {split: None, tick: None}
    # The split came first: the tick at 99 is the quote, and it did not fill the limit buy, now 20 at 45.
    assert conn.execute(
        'select q.price from market.quotes as q join market.securities as s on q.security_id = s.id '
        'where s.symbol = %s',
        [symbol],
    ).fetchone() == (99,)
    assert conn.execute(
        'select status, quantity, limit_price from trading.orders where account_id = %s', [a]
    ).fetchall() == [('new', 20, 45)]
    assert conn.execute('select quantity from trading.positions where account_id = %s', [b]).fetchone() == (
        12,
    )
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
