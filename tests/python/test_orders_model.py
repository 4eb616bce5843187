"""Hypothesis stateful test: random deposits, price moves, market buys and sells on one FIFO account with a
per-order commission, checked after every step against a small Python model of cash, lots and realized P&L."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tradebase.client import Client

FEE = Decimal(1)
CENT = Decimal('0.01')


def round8(x: Decimal) -> Decimal:
    return x.quantize(Decimal('0.00000001'), rounding=ROUND_HALF_UP)


class Books(RuleBasedStateMachine):
    """The database (through tradebase.client) against a model written from DESIGN §5."""

    db_url: str

    @initialize()
    def open_account(self):
        self.conn = psycopg.connect(self.db_url, autocommit=True)
        name = f'model_{uuid.uuid4().hex[:8]}'
        self.symbol = f'M{uuid.uuid4().hex[:8].upper()}'
        self.conn.execute("select api.upsert_security(%s, 'Model', 'stock')", [self.symbol])
        self.price = Decimal(100)
        self._set_price(self.price)
        user = self.conn.execute(
            'insert into auth.users (email, username) values (%s, %s) returning id',
            [f'{name}@example.com', name],
        ).fetchone()[0]
        self.client = Client(self.conn, act_as=user)
        self.account = self.client._one(
            'select api.create_account(%s, %s, null, 10000, %s, %s)',
            ['model', 'paper', 'USD', '{"commission_per_order": 1}'],
        )
        self.cash = Decimal(10000)
        self.lots: list[list[Decimal]] = []  # [open quantity, cost basis], oldest first
        self.realized = Decimal(0)

    def _set_price(self, price: Decimal) -> None:
        self.conn.execute('select api.record_price(%s, %s, clock_timestamp())', [self.symbol, price])

    def teardown(self):
        self.conn.close()

    @rule(cents=st.integers(min_value=100, max_value=30000))
    def move_price(self, cents):
        self.price = Decimal(cents) * CENT
        self._set_price(self.price)

    @rule(amount=st.integers(min_value=1, max_value=5000))
    def deposit(self, amount):
        self.client.deposit(self.account, amount)
        self.cash += amount

    @rule(quantity=st.integers(min_value=1, max_value=50))
    def buy(self, quantity):
        order = self.client.execute_paper_trade(self.account, self.symbol, 'buy', quantity)
        cost = round8(quantity * self.price) + FEE
        if cost > self.cash:
            assert order.status == 'rejected'
            return
        assert order.status == 'filled'
        self.cash -= cost
        self.lots.append([Decimal(quantity), cost])

    @rule(quantity=st.integers(min_value=1, max_value=50))
    def sell(self, quantity):
        order = self.client.execute_paper_trade(self.account, self.symbol, 'sell', quantity)
        held = sum(q for q, _ in self.lots)
        if quantity > held:
            assert order.status == 'rejected'
            return
        assert order.status == 'filled'
        flow = round8(quantity * self.price) - FEE
        self.cash += flow
        left, shared = Decimal(quantity), Decimal(0)
        while left:
            lot = self.lots[0]
            take = min(lot[0], left)
            cost = lot[1] if take == lot[0] else round8(lot[1] * take / lot[0])
            proceeds = flow - shared if take == left else round8(flow * take / quantity)
            self.realized += proceeds - cost
            shared += proceeds
            lot[0] -= take
            lot[1] -= cost
            left -= take
            if lot[0] == 0:
                self.lots.pop(0)

    @invariant()
    def books_agree(self):
        if not hasattr(self, 'account'):
            return
        cash = self.conn.execute(
            'select cash from trading.accounts where id = %s', [self.account]
        ).fetchone()[0]
        assert cash == self.cash
        row = self.conn.execute(
            'select quantity, cost_basis, realized_pnl from trading.positions where account_id = %s',
            [self.account],
        ).fetchone() or (0, 0, 0)
        assert (row[0], row[1], row[2]) == (
            sum((q for q, _ in self.lots), Decimal(0)),
            sum((c for _, c in self.lots), Decimal(0)),
            self.realized,
        )


def test_books_match_the_model(db_url, conn):
    Books.db_url = db_url
    run = Books.TestCase
    run.settings = settings(
        max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
    )
    run().runTest()
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
