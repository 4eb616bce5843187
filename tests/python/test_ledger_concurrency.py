"""Eight connections move cash between a few shared accounts at once: deposits, withdrawals and
transfers (with idempotency keys and retries). No deadlock or other error reaches a caller except
insufficient funds, the books add up to what succeeded, and ops.verify_invariants() is empty."""

import random
import threading
import time
import uuid
from decimal import Decimal

import psycopg
import pytest

from tradebase import errors

WORKERS = 8
SECONDS = 8
START_CASH = Decimal(1000)


@pytest.fixture(scope='module')
def accounts(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("insert into auth.users (email, username) values ('conc@example.com', 'ledger_conc')")
        user = conn.execute("select id from auth.users where username = 'ledger_conc'").fetchone()[0]
        return [
            conn.execute(
                "select trading.create_account(%s, %s, 'paper', null, %s, 'USD', '{}')",
                [user, f'Shared {n}', START_CASH],
            ).fetchone()[0]
            for n in range(4)
        ]


def worker(db_url, accounts, seed, deadline, outcome, lock):
    rnd = random.Random(seed)
    net = Decimal(0)  # deposits minus withdrawals that succeeded
    counts = {'ok': 0, 'insufficient': 0, 'retried': 0}
    unexpected = []
    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            op = rnd.choice(['deposit', 'withdraw', 'transfer', 'transfer'])
            amount = Decimal(rnd.randint(1, 50000)) / 100
            a, b = rnd.sample(accounts, 2)
            key = str(uuid.uuid4()) if rnd.random() < 0.5 else None
            if op == 'transfer':
                query, params = 'select api.transfer_cash(%s, %s, %s, %s)', [a, b, amount, key]
            else:
                query, params = f'select api.{op}(%s, %s, %s)', [a, amount, key]
            attempts = 2 if key else 1  # a keyed call is retried: the retry must return the same journal
            journals = []
            try:
                for _ in range(attempts):
                    journals.append(conn.execute(query, params).fetchone()[0])
            except psycopg.Error as err:
                if isinstance(errors.translate(err), errors.InsufficientFunds) and not journals:
                    counts['insufficient'] += 1
                else:
                    unexpected.append(f'{op}: {err.sqlstate} {err}')
                continue
            if len(set(journals)) != 1:
                unexpected.append(f'{op}: retry returned {journals}')
            counts['ok'] += 1
            counts['retried'] += len(journals) - 1
            net += {'deposit': amount, 'withdraw': -amount}.get(op, Decimal(0))
    with lock:
        outcome['net'] += net
        outcome['unexpected'] += unexpected
        for k, v in counts.items():
            outcome[k] = outcome.get(k, 0) + v


def test_parallel_cash_movements_keep_the_books(db_url, conn, accounts):
    outcome = {'net': Decimal(0), 'unexpected': []}
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=worker, args=(db_url, accounts, seed, deadline, outcome, lock))
        for seed in range(WORKERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcome['unexpected'] == []
    assert outcome['ok'] > 100 and outcome['insufficient'] > 0 and outcome['retried'] > 0
    query = 'select sum(cash) from trading.accounts where id = any(%s)'
    total = conn.execute(query, [accounts]).fetchone()[0]
    assert total == START_CASH * len(accounts) + outcome['net']
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
