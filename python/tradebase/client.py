"""Typed calls of the `api` functions and views; SQLSTATEs become `tradebase.errors` exceptions.

Every call runs in one transaction that first takes the deploy barrier shared (so it runs wholly
before or wholly after a `tradebase migrate`, never across one) and establishes who is acting (a
session token or API key through `api.authenticate`, or `api.act_as` for support staff), because the
request context is transaction-local. Pipeline mode sends the statements in one network round
trip. No business rule lives here: the functions decide, this module only names them. Rows are read
by column name, each dataclass's fields listed in the query (never `select *`), so a column added to
a view or a table changes no caller (issue 14 §5).
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from . import config, errors


@dataclass(frozen=True)
class Order:
    """A row of api.orders, as api.execute_paper_trade and api.cancel_order return it."""

    id: uuid.UUID
    account_id: uuid.UUID
    client_order_id: str | None
    symbol: str
    side: str
    order_type: str
    time_in_force: str
    status: str
    quantity: Decimal
    limit_price: Decimal | None
    stop_price: Decimal | None
    stop_triggered: bool
    filled_quantity: Decimal
    remaining_quantity: Decimal
    average_fill_price: Decimal | None
    fees: Decimal
    reserved_cash: Decimal
    reserved_quantity: Decimal
    reject_reason: str | None
    cancel_reason: str | None
    strategy_id: uuid.UUID | None
    bot_id: uuid.UUID | None
    expires_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    placed_by: str
    source: str
    cause_id: uuid.UUID | None


@dataclass(frozen=True)
class Position:
    """A row of api.positions (amounts in the account's currency)."""

    account_id: uuid.UUID
    symbol: str
    currency: str
    quantity: Decimal
    cost_basis: Decimal
    avg_cost: Decimal | None
    market_price: Decimal | None
    priced_at: dt.datetime | None
    market_value: Decimal | None
    unrealized_pnl: Decimal | None
    realized_pnl: Decimal
    reserved_quantity: Decimal
    opened_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class Notification:
    """A row of api.notifications."""

    id: uuid.UUID
    kind: str
    level: str
    title: str
    message: str
    data: dict
    read_at: dt.datetime | None
    created_at: dt.datetime


def _select(row_type: type, source: str) -> sql.Composed:
    """`select <the dataclass's fields, by name> from <source>`: a new column in the source is not read."""
    columns = sql.SQL(', ').join(sql.Identifier(f.name) for f in fields(row_type))
    return sql.SQL('select {} from {}').format(columns, sql.SQL(source))


class Client:
    """Calls the api as one user: `Client(conn, token=...)` (apps), `Client(conn, act_as=user_id)` (staff)."""

    def __init__(
        self, conn: psycopg.Connection, *, token: str | None = None, act_as: uuid.UUID | None = None
    ):
        if token is not None and act_as is not None:
            raise ValueError('pass either token or act_as, not both')
        self.conn = conn
        self.token = token
        self.act_as = act_as

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        try:
            with self.conn.transaction(), self.conn.pipeline():
                self.conn.execute(
                    'select pg_advisory_xact_lock_shared(hashtextextended(%s, 0))',
                    [config.DEPLOY_BARRIER_KEY],
                )
                if self.token is not None:
                    self.conn.execute('select api.authenticate(%s)', [self.token])
                elif self.act_as is not None:
                    self.conn.execute('select api.act_as(%s)', [self.act_as])
                yield self.conn
        except psycopg.Error as err:
            raise errors.translate(err) from err

    def _one(self, query: str | sql.Composable, params: list[Any], row_type: type | None = None) -> Any:
        with self._transaction() as conn:
            cur = conn.cursor(row_factory=class_row(row_type)) if row_type else conn.cursor()
            row = cur.execute(query, params).fetchone()
        return row if row_type else row[0]

    def _all(self, query: str | sql.Composable, params: list[Any], row_type: type) -> list:
        with self._transaction() as conn:
            return conn.cursor(row_factory=class_row(row_type)).execute(query, params).fetchall()

    # -- orders -----------------------------------------------------------------------------------
    def execute_paper_trade(
        self,
        account_id: uuid.UUID,
        symbol: str,
        side: str,
        quantity: Decimal | int | str,
        order_type: str = 'market',
        limit_price: Decimal | None = None,
        stop_price: Decimal | None = None,
        time_in_force: str = 'day',
        client_order_id: str | None = None,
    ) -> Order:
        """Place an order; a business rejection comes back as an Order with status 'rejected'."""
        return self._one(
            _select(Order, 'api.execute_paper_trade(%s, %s, %s, %s, %s, %s, %s, %s, %s)'),
            [
                account_id,
                symbol,
                side,
                Decimal(quantity),
                order_type,
                limit_price,
                stop_price,
                time_in_force,
                client_order_id,
            ],
            Order,
        )

    def cancel_order(self, order_id: uuid.UUID) -> Order:
        return self._one(_select(Order, 'api.cancel_order(%s)'), [order_id], Order)

    def reset_paper_account(self, account_id: uuid.UUID) -> None:
        self._one('select api.reset_paper_account(%s)', [account_id])

    # -- risk and events --------------------------------------------------------------------------
    def create_risk_rule(
        self, rule_type: str, threshold: Decimal | int | str, account_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        return self._one(
            'select api.create_risk_rule(%s, %s, %s)', [rule_type, Decimal(threshold), account_id]
        )

    def notifications(self, unread_only: bool = False) -> list[Notification]:
        return self._all(
            _select(
                Notification, 'api.notifications where not %s or read_at is null order by created_at, id'
            ),
            [unread_only],
            Notification,
        )

    def mark_notifications_read(self, ids: list[uuid.UUID]) -> int:
        return self._one('select api.mark_notifications_read(%s)', [ids])

    # -- cash -------------------------------------------------------------------------------------
    def deposit(
        self, account_id: uuid.UUID, amount: Decimal | int | str, idempotency_key: str | None = None
    ) -> int:
        return self._one('select api.deposit(%s, %s, %s)', [account_id, Decimal(amount), idempotency_key])

    def withdraw(
        self, account_id: uuid.UUID, amount: Decimal | int | str, idempotency_key: str | None = None
    ) -> int:
        return self._one('select api.withdraw(%s, %s, %s)', [account_id, Decimal(amount), idempotency_key])

    # -- reads ------------------------------------------------------------------------------------
    def positions(self, account_id: uuid.UUID) -> list[Position]:
        return self._all(
            _select(Position, 'api.positions where account_id = %s order by symbol'), [account_id], Position
        )
