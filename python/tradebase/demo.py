"""`make demo`: the throwaway server, migrated, a trading walk-through, left running for exploration.

The walk-through registers a user, deposits, trades (market, limit, stop), lets a new price fill the
resting orders and prints positions, P&L and the ledger. Every figure comes from the api functions and
views; nothing is computed here.
"""

import uuid
from decimal import Decimal

from . import db, migrate
from .client import Client, Order

SYMBOL = 'DEMO'
PASSWORD = 'demo password 2024'


def _order_line(label: str, order: Order) -> str:
    price = f' @ {order.average_fill_price:.2f}' if order.average_fill_price is not None else ''
    extra = f' reserved {order.reserved_cash:.2f}' if order.reserved_cash else ''
    why = order.reject_reason or order.cancel_reason
    reason = f' ({why})' if why else ''
    return (
        f'  {label:<32} {order.status:<9} filled {order.filled_quantity:.0f}/{order.quantity:.0f}'
        f'{price}{extra}{reason}'
    )


def _table(rows: list[tuple], headers: tuple[str, ...]) -> None:
    cells = [headers, *[tuple('' if v is None else str(v) for v in row) for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print('  ' + '  '.join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print('  ' + '  '.join('-' * w for w in widths))


def walkthrough(url: str) -> None:
    with db.connection(url, autocommit=True) as admin, db.connection(url, autocommit=True) as app:
        admin.execute("select api.upsert_security(%s, 'Demo Corp', 'stock')", [SYMBOL])
        admin.execute('select api.record_price(%s, 100, clock_timestamp(), 99.95, 100.05)', [SYMBOL])
        name = f'demo_{uuid.uuid4().hex[:6]}'
        user_id = app.execute(
            'select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, PASSWORD]
        ).fetchone()[0]
        token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
        user = Client(app, token=token)
        # The demo logs in as the server's superuser, who may read every account: pick this user's.
        account = user._one('select id from api.accounts where user_id = %s and is_default', [user_id])
        print(f'== user {name}, default paper account {account}')

        user.deposit(account, 5000)
        print('  deposited 5000.00')
        print(f'== trading {SYMBOL} (quote 100.00, bid 99.95 / ask 100.05)')
        print(_order_line('market buy 20', user.execute_paper_trade(account, SYMBOL, 'buy', 20)))
        print(
            _order_line(
                'limit buy 10 @ 95 (gtc)',
                user.execute_paper_trade(
                    account, SYMBOL, 'buy', 10, 'limit', Decimal(95), time_in_force='gtc'
                ),
            )
        )
        print(
            _order_line(
                'stop sell 15 @ 90 (gtc)',
                user.execute_paper_trade(
                    account, SYMBOL, 'sell', 15, 'stop', stop_price=Decimal(90), time_in_force='gtc'
                ),
            )
        )
        too_many = user.execute_paper_trade(account, SYMBOL, 'sell', 50)
        print(_order_line('market sell 50 (more than held)', too_many))

        for price in (94, 89):
            record = 'select api.record_price(%s, %s, clock_timestamp())'
            filled = admin.execute(record, [SYMBOL, price]).fetchone()[0]
            print(f'== new price {price}.00: {filled} resting order(s) filled')

        print('== positions (api.positions)')
        with user._transaction() as c:
            _table(
                c.execute(
                    'select symbol, quantity::numeric(12, 2), avg_cost::numeric(12, 2),'
                    ' market_price::numeric(12, 2), market_value::numeric(12, 2),'
                    ' unrealized_pnl::numeric(12, 2), realized_pnl::numeric(12, 2)'
                    ' from api.positions where account_id = %s',
                    [account],
                ).fetchall(),
                ('symbol', 'qty', 'avg cost', 'price', 'value', 'unrealized', 'realized'),
            )
            print('== realized P&L per lot closure (FIFO)')
            _table(
                c.execute(
                    'select quantity::numeric(12, 2), cost_basis::numeric(12, 2), proceeds::numeric(12, 2),'
                    ' realized_pnl::numeric(12, 2) from api.lot_closures where account_id = %s order by id',
                    [account],
                ).fetchall(),
                ('qty', 'cost', 'proceeds', 'P&L'),
            )
            print('== ledger (api.transactions)')
            _table(
                c.execute(
                    'select journal_id, kind, amount::numeric(14, 2), balance_after::numeric(14, 2), memo'
                    ' from api.transactions where account_id = %s order by id',
                    [account],
                ).fetchall(),
                ('journal', 'kind', 'amount', 'balance', 'memo'),
            )
        performance(admin, user, account)
        broken = admin.execute('select * from ops.verify_invariants()').fetchall()
        print(f'== invariants: {broken or "all hold"}')


def _figure(value) -> str:
    if isinstance(value, float):
        return f'{value:.6g}'
    if isinstance(value, Decimal):
        return f'{value:.2f}'
    return '' if value is None else str(value)


def performance(admin, user: Client, account) -> None:
    """Today's snapshot (what the daily job takes for yesterday), then the account's performance table
    (api.account_performance, life window; docs/analytics.md "Account performance")."""
    admin.execute('select api.snapshot_accounts(current_date)')
    print("== performance (api.account_performance, life, after today's snapshot)")
    with user._transaction() as c:
        cur = c.execute('select * from api.account_performance(%s)', [account])
        row = cur.fetchone()
        names = [d.name for d in cur.description]
    _table(
        [(n, _figure(v)) for n, v in zip(names, row, strict=True) if n != 'account_id'], ('figure', 'value')
    )


def jobs(url: str) -> None:
    """The scheduled jobs (ops.jobs, docs/jobs.md) and who runs them on this server."""
    with db.connection(url, autocommit=True) as conn:
        rows = conn.execute(
            """
            select j.name, j.period, j.schedule, r.period_end::date, r.status
            from ops.jobs as j
            left join lateral (
                select x.period_end, x.status from ops.job_runs as x
                where x.job_name = j.name order by x.period_start desc limit 1
            ) as r on true
            order by j.name
            """
        ).fetchall()
        cron = conn.execute("select to_regclass('cron.job') is not null").fetchone()[0]
    runner = 'pg_cron runs them' if cron else 'no pg_cron: a worker runs select * from ops.run_due_jobs()'
    print(f'== scheduled jobs (ops.jobs): {runner}')
    _table(rows, ('job', 'period', 'schedule (GMT)', 'last period', 'status'))


def run(url: str) -> int:
    print(f'== tradebase demo on {url}')
    migrate.migrate(url)
    print()
    for line in migrate.describe(migrate.plan(url)):
        print(line)
    print()
    walkthrough(url)
    print()
    jobs(url)
    print()
    print('The server keeps running for exploration:')
    print(f'  psql "{url}"')
    print('  make db-down      stops it')
    return 0
