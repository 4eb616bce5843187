"""`make demo`: the throwaway server, migrated, a trading walk-through, left running for exploration.

The walk-through registers a user, deposits, trades (market, limit, stop), lets a new price fill the
resting orders and prints positions, P&L and the ledger. Every figure comes from the api functions and
views; nothing is computed here.
"""

import datetime as dt
import uuid
from decimal import Decimal

from . import db, market, migrate
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


def _acting(conn, user_id, query: str, params=None):
    """QUERY in its own transaction, acting as USER_ID (api.act_as: the demo logs in as the superuser)."""
    with conn.transaction():
        conn.execute('select api.act_as(%s)', [user_id])
        return conn.execute(query, params).fetchall()


def funds(url: str) -> None:
    """A pooled fund (docs/funds.md) over last month: investor A subscribes at inception, the NAV falls, B
    enters below A's high-water mark, a daily strike each day, the month's management fee paid at its end
    and the performance fees crystallized on its last day (the fund's crystallization date is moved there
    for the demo; it is once a year). Every figure comes from the fund tables and api functions."""
    tag = uuid.uuid4().hex[:6]
    symbol = f'FD{tag}'.upper()
    today = dt.datetime.now(dt.UTC).date()
    month_end = today.replace(day=1) - dt.timedelta(days=1)  # the last day of last month
    day0 = month_end.replace(day=1) - dt.timedelta(days=1)  # and the day before it began
    days = (month_end - day0).days
    with db.connection(url, autocommit=True) as conn:
        conn.execute("select api.upsert_security(%s, 'Fund demo stock', 'stock')", [symbol])
        users = {}
        for who, role in (('manager', 'fund_manager'), ('a', 'investor'), ('b', 'investor')):
            name = f'fund_{who}_{tag}'
            users[who] = conn.execute(
                'select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, PASSWORD]
            ).fetchone()[0]
            if role == 'fund_manager':
                conn.execute("update auth.users set role = 'fund_manager' where id = %s", [users[who]])
            else:
                conn.execute("select api.set_kyc_status(%s, 'verified')", [users[who]])
        fund = _acting(conn, users['manager'], "select api.create_fund(%s, 'mini')", [f'Demo Fund {tag}'])[0][
            0
        ]
        conn.execute('update fund.funds set crystallization_date = %s where id = %s', [month_end, fund])
        live = {}
        for who, amount in (('a', 10000), ('b', 5000)):
            live[who] = _acting(conn, users[who], "select api.create_account('Fund money', 'live')")[0][0]
            _acting(conn, users[who], 'select api.deposit(%s, %s)', [live[who], amount])
        print(f'== fund Demo Fund {tag} (mini: 2 % management, 20 % performance), {day0} to {month_end}')

        # The demo replays last month, while api.subscribe dates a request now and a strike deals only those
        # made before its valuation time (forward pricing): each request is dated on its replayed day.
        def request(who: str, amount: int, day: dt.date) -> None:
            flow = _acting(
                conn, users[who], 'select (api.subscribe(%s, %s, %s)).id', [fund, live[who], amount]
            )
            morning = dt.datetime.combine(day, dt.time(9), dt.UTC)
            conn.execute('update fund.flows set requested_at = %s where id = %s', [morning, flow[0][0]])

        request('a', 10000, day0)
        for d in range(days + 1):
            day = day0 + dt.timedelta(days=d)
            noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
            price = (
                Decimal(100) - Decimal(10) * d / 7
                if d <= 7
                else Decimal(90) + Decimal(20) * (d - 7) / (days - 7)
            )
            conn.execute(
                'select api.record_price(%s, %s, %s)', [symbol, price.quantize(Decimal('0.01')), noon]
            )
            if d == 8:
                request('b', 5000, day)
            _acting(
                conn, users['manager'], 'select api.strike_nav(%s, %s)', [fund, noon + dt.timedelta(hours=6)]
            )
            if d in (0, 8):  # invest what came in, keeping 15 % in cash for fees and redemptions
                cash = conn.execute(
                    'select a.cash from fund.funds as f inner join trading.accounts'
                    ' as a on f.account_id = a.id '
                    'where f.id = %s',
                    [fund],
                ).fetchone()[0]
                units = int(cash * Decimal('0.85') / price)
                _acting(
                    conn, users['manager'], "select api.fund_trade(%s, %s, 'buy', %s)", [fund, symbol, units]
                )
        print('== daily strikes (api.fund_navs; every 5th day and the last)')
        rows = conn.execute(
            'select snapshot_date, nav::numeric(12, 2), nav_per_share::numeric(12, 6),'
            ' shares_outstanding::numeric(12, 2),'
            ' management_fee::numeric(10, 4), accrued_performance_fee::numeric(10, 2)'
            ' from api.fund_navs where fund_id = %s order by snapshot_date',
            [fund],
        ).fetchall()
        _table(
            [r for n, r in enumerate(rows) if n % 5 == 0 or n == len(rows) - 1],
            ('day', 'NAV', 'NAV/share', 'shares', 'mgmt fee', 'perf accrued'),
        )
        print('== investors: lots (dealt at, high-water mark now) and the performance fee each paid')
        _table(
            conn.execute(
                "select case l.user_id when %s then 'A' else 'B' end, w.nav_per_share::numeric(12, 6),"
                ' l.original_shares::numeric(12, 2), l.shares::numeric(12, 2),'
                ' l.high_water_mark::numeric(12, 6),'
                ' coalesce(sum(e.amount), 0)::numeric(12, 2)'
                ' from fund.lots as l inner join fund.flows as w on l.flow_id = w.id'
                ' left join fund.fee_accruals as e on e.lot_id = l.id'
                ' where l.fund_id = %s group by 1, 2, 3, 4, 5 order by 1',
                [users['a'], fund],
            ).fetchall(),
            ('investor', 'dealt at', 'shares', 'now', 'HWM', 'perf fee paid'),
        )
        paid = conn.execute(
            'select kind, sum(amount)::numeric(12, 2) from fund.fee_accruals where'
            ' fund_id = %s and journal_id is not null'
            ' group by kind order by kind',
            [fund],
        ).fetchall()
        fee_cash = conn.execute(
            'select a.cash::numeric(12, 2) from fund.funds as f inner join'
            ' trading.accounts as a on f.fee_account_id = a.id'
            ' where f.id = %s',
            [fund],
        ).fetchone()[0]
        fees = ', '.join(f'{kind} {amount}' for kind, amount in paid)
        print(f"== fees paid to the manager: {fees}; the manager's fee account holds {fee_cash}")
        broken = conn.execute('select * from ops.verify_invariants()').fetchall()
        print(f'== invariants: {broken or "all hold"}')


def strategies(url: str) -> None:
    """A backtest and a small parameter sweep (docs/strategies.md) on two years of simulated daily bars
    (tradebase market simulate): an SMA crossover of the user's, its figures and first trades
    (api.backtests, api.backtest_trades), then fast 5/10/20 x slow 30/60 ranked by Sharpe
    (api.sweep_backtest). Every figure comes from the api; nothing is computed here."""
    tag = uuid.uuid4().hex[:6]
    symbol = f'BT{tag}'.upper()
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=731)
    end = start + dt.timedelta(days=729)
    market.simulate([symbol], days=730, timeframe='1d', seed=16, start=start, url=url)
    with db.connection(url, autocommit=True) as conn:
        name = f'strategist_{tag}'
        user_id = conn.execute(
            'select api.register_user(%s, %s, %s)', [f'{name}@example.com', name, PASSWORD]
        ).fetchone()[0]
        strategy = _acting(
            conn,
            user_id,
            """select api.create_strategy('Demo SMA 10/30', 'sma_crossover', '{"fast": 10, "slow": 30}')""",
        )[0][0]
        print(
            f'== backtest: SMA crossover 10/30 long_only on {symbol}, 730 simulated daily bars from {start}'
        )
        backtest = _acting(
            conn,
            user_id,
            'select api.run_backtest(%s, %s, %s, %s, 10000, 0.002)',
            [strategy, symbol, start, end],
        )[0][0]
        with conn.transaction():
            conn.execute('select api.act_as(%s)', [user_id])
            cur = conn.execute(
                'select final_equity, return_pct, buy_hold_return_pct, max_drawdown_pct, closed_trades,'
                ' win_rate_pct, profit_factor, commissions, exposure_pct, sharpe_ratio, sortino_ratio,'
                ' calmar_ratio'
                ' from api.backtests where id = %s',
                [backtest],
            )
            row = cur.fetchone()
            names = [d.name for d in cur.description]
            trades = conn.execute(
                'select trade_no, size::numeric(12, 0), entry_at::date, entry_price::numeric(12, 2),'
                ' exit_at::date, exit_price::numeric(12, 2), pnl::numeric(12, 2), return_pct::numeric(8, 2)'
                ' from api.backtest_trades where backtest_id = %s order by trade_no limit 5',
                [backtest],
            ).fetchall()
        _table([(n, _figure(v)) for n, v in zip(names, row, strict=True)], ('figure', 'value'))
        print('== its first trades (api.backtest_trades)')
        _table(trades, ('trade', 'size', 'entry', 'price', 'exit', 'price', 'P&L', 'return %'))
        print('== sweep: fast [5, 10, 20] x slow [30, 60], ranked by Sharpe (api.sweep_backtest)')
        rows = _acting(
            conn,
            user_id,
            'select rank, parameters ->> %s, parameters ->> %s, final_equity::numeric(14, 2),'
            ' return_pct::numeric(10, 2), max_drawdown_pct::numeric(8, 2), closed_trades,'
            ' sharpe_ratio::numeric(8, 3), calmar_ratio::numeric(8, 3)'
            ' from api.sweep_backtest(%s, %s, %s, %s, %s::jsonb, 10000, 0.002)',
            ['fast', 'slow', strategy, symbol, start, end, '{"fast": [5, 10, 20], "slow": [30, 60]}'],
        )
        _table(
            rows,
            ('rank', 'fast', 'slow', 'final equity', 'return %', 'max DD %', 'trades', 'Sharpe', 'Calmar'),
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
    funds(url)
    print()
    strategies(url)
    print()
    jobs(url)
    print()
    print('The server keeps running for exploration:')
    print(f'  psql "{url}"')
    print('  make db-down      stops it')
    return 0
