"""Fund administration (issue 17, docs/funds.md "Pausing and closing", "Risk metrics").

Concurrency: a subscription and a pause or a close of the same fund at once, in both orders. The fund
row's lock makes the second wait for the first's commit: a subscription that committed first is canceled by
the close and its cash returned; one that comes second sees the new status and fails (22023); never a
subscription left pending in a closed fund. A buy order and a subscription from the same account at once:
the subscription checks the cash on the account row it locks after the fund's, so it sees the order's
reservation (TB040) and never leaves the cash below what open orders reserve. A close and the manager's
order for the fund at once: the order checks the status on the fund row it holds, so it sees the close
(22023). Two funds of one name at once (the second 22023, not 23505), and a second fund opened while the
manager holds a request (no deadlock). A subscription committed while the quiet strike waits for its fund
deals at that day's strike. A deletion of a user and that user's subscription or new fund at
once, in both orders: whichever holds the user's row first wins, and no deleted user keeps a pending request
or an open fund.

Risk metrics: a fund struck daily for 40 days on a random walk, against a benchmark on another: its
risk.metrics row (risk.write_fund_metrics) equals empyrical-reloaded's figures over the same NAV-per-share
returns (VaR and CVaR at 95 and 99, annual volatility at 365 periods, beta, the information ratio as its
excess Sharpe ratio annualised) and numpy's (correlation, tracking error) to 1e-9 relative.
"""

import datetime as dt
import math
import random
import threading
import time
from decimal import Decimal

import empyrical
import numpy as np
import psycopg
import pytest

from conftest import race

# The strikes here replay days long past (tests/sql/helpers.sql).
pytestmark = pytest.mark.usefixtures('replayed_fund_requests')

START = dt.date(2026, 9, 1)
DAYS = 40


def one(conn, query, params=None):
    return conn.execute(query, params).fetchone()[0]


def setup_users(su, names):
    """Users by name (role fund_manager for names starting with m, else KYC-verified investors with a live
    account holding 5,000); returns ids and live accounts."""
    ids, live = {}, {}
    for name in names:
        role = 'fund_manager' if name.startswith('m') else 'investor'
        ids[name] = one(
            su,
            'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
            [f'{name}@fund-admin.example', name, role],
        )
        if role == 'investor':
            su.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
            with su.transaction():
                su.execute('select api.act_as(%s)', [ids[name]])
                live[name] = one(su, "select api.create_account('FA live', 'live')")
                su.execute('select api.deposit(%s, 5000)', [live[name]])
    return ids, live


def test_a_pause_or_close_and_a_subscription_at_once(db_url):
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live = setup_users(su, ['m_race', 'i_race'])
        funds = {}
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_race']])
            for name in ('Race Close First', 'Race Subscribe First', 'Race Pause First'):
                funds[name] = one(su, "select api.create_fund(%s, 'mini')", [name])

    subscribe = 'select api.subscribe(%s, %s, 1000)'
    status = 'select api.set_fund_status(%s, %s)'
    manager, investor = ids['m_race'], ids['i_race']

    # The close commits first: the subscription waits, then sees a closed fund.
    fund = funds['Race Close First']
    assert race(
        db_url, [(manager, status, [fund, 'closed']), (investor, subscribe, [fund, live['i_race']])]
    ) == [
        None,
        '22023',
    ]
    # The pause likewise.
    fund = funds['Race Pause First']
    assert race(
        db_url, [(manager, status, [fund, 'paused']), (investor, subscribe, [fund, live['i_race']])]
    ) == [
        None,
        '22023',
    ]
    # The subscription commits first: the close waits, then cancels it and returns its cash.
    fund = funds['Race Subscribe First']
    assert race(
        db_url, [(investor, subscribe, [fund, live['i_race']]), (manager, status, [fund, 'closed'])]
    ) == [
        None,
        None,
    ]
    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            "select f.name, f.status from fund.funds as f where f.name like 'Race %%' order by f.name"
        ).fetchall() == [
            ('Race Close First', 'closed'),
            ('Race Pause First', 'paused'),
            ('Race Subscribe First', 'closed'),
        ]
        assert su.execute(
            'select status, pending_reason from fund.flows where fund_id = %s',
            [funds['Race Subscribe First']],
        ).fetchall() == [('canceled', 'the fund closed')]
        assert one(su, 'select cash from trading.accounts where id = %s', [live['i_race']]) == 5000
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_buy_order_and_a_subscription_from_the_same_account_at_once(db_url):
    """A resting buy order reserves 4,000 of the live account's 5,000 while a subscription of 2,000 from the
    same account waits for the account's row: the subscription checks the cash on the row it has locked
    (after the fund's), so it sees the reservation and is refused (TB040), never leaving the account's cash
    below what its open orders reserve."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live = setup_users(su, ['m_cash', 'i_cash'])
        su.execute("select api.upsert_security('FACASH', 'Fund admin cash race', 'stock')")
        su.execute("select api.record_price('FACASH', 100, clock_timestamp())")
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_cash']])
            fund = one(su, "select api.create_fund('Cash Race Fund', 'mini')")

    account, investor = live['i_cash'], ids['i_cash']
    order = "select api.execute_paper_trade(%s, 'FACASH', 'buy', 80, 'limit', 50, null, 'gtc')"
    subscribe = 'select api.subscribe(%s, %s, 2000)'
    assert race(db_url, [(investor, order, [account]), (investor, subscribe, [fund, account])]) == [
        None,
        'TB040',
    ]
    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            'select cash, reserved_cash from trading.accounts where id = %s', [account]
        ).fetchone() == (5000, 4000)
        assert one(su, 'select count(*) from fund.flows where fund_id = %s', [fund]) == 0
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_close_and_a_fund_trade_at_once(db_url):
    """The manager closes an empty fund while an order for its account waits for the account's row: the
    order checks the fund's status on the fund row it holds (before the account's, the order of fund.strike),
    so it sees the close and is refused (22023), never leaving an order on a closed fund's account."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, _ = setup_users(su, ['m_trade'])
        su.execute("select api.upsert_security('FATRADE', 'Fund admin trade race', 'stock')")
        su.execute("select api.record_price('FATRADE', 10, clock_timestamp())")
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_trade']])
            fund = one(su, "select api.create_fund('Trade Race Fund', 'mini')")

    manager = ids['m_trade']
    close = "select api.set_fund_status(%s, 'closed')"
    trade = "select api.fund_trade(%s, 'FATRADE', 'buy', 1)"
    assert race(db_url, [(manager, close, [fund]), (manager, trade, [fund])]) == [None, '22023']
    with psycopg.connect(db_url, autocommit=True) as su:
        assert one(su, 'select status from fund.funds where id = %s', [fund]) == 'closed'
        orders = 'select count(*) from trading.orders as o, fund.funds as f where o.account_id = f.account_id'
        assert one(su, orders + ' and f.id = %s', [fund]) == 0
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_two_funds_of_one_name_at_once(db_url):
    """Two managers open funds of the same name at once: the second waits for the first's row in
    funds_name_uk and gets the documented 22023, not a unique violation (23505)."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, _ = setup_users(su, ['m_name_a', 'm_name_b'])

    create = "select api.create_fund(%s, 'mini')"
    assert race(
        db_url, [(ids['m_name_a'], create, ['Same Name Fund']), (ids['m_name_b'], create, ['Same Name Fund'])]
    ) == [None, '22023']
    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            'select u.username from fund.funds as f inner join auth.users as u on f.manager_id = u.id'
            " where f.name = 'Same Name Fund'"
        ).fetchall() == [('m_name_a',)]
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_fund_opened_while_the_manager_holds_a_request(db_url):
    """A manager who also invests subscribes (holding the user's row shared, auth.hold_active_user) while a
    second session opens a fund, then opens one in the same transaction. api.create_fund takes the user's
    row for no key update before anything else, so the second session waits holding nothing, instead of
    holding a share lock that both then need to upgrade (trading.create_account): a deadlock (40P01)."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live = setup_users(su, ['m_other', 'twice'])
        su.execute("update auth.users set role = 'fund_manager' where id = %s", [ids['twice']])
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_other']])
            other = one(su, "select api.create_fund('Other Manager Fund', 'mini')")

    user = ids['twice']
    errors = []
    with psycopg.connect(db_url, autocommit=True) as c1, psycopg.connect(db_url, autocommit=True) as c2:
        c1.execute('begin')
        c1.execute('select api.act_as(%s)', [user])
        c1.execute('select api.subscribe(%s, %s, 1000)', [other, live['twice']])

        def second():
            try:
                with c2.transaction():
                    c2.execute('select api.act_as(%s)', [user])
                    c2.execute("select api.create_fund('Twice Second Fund', 'mini')")
            except psycopg.Error as err:
                errors.append(err.sqlstate)

        thread = threading.Thread(target=second)
        thread.start()
        with psycopg.connect(db_url, autocommit=True) as watcher:
            for _ in range(200):
                if watcher.execute('select count(*) from pg_locks where not granted').fetchone()[0]:
                    break
                time.sleep(0.02)
            else:
                pytest.fail('the second session did not wait')
        try:
            c1.execute("select api.create_fund('Twice First Fund', 'mini')")
            c1.execute('commit')
        except psycopg.Error as err:
            errors.append(err.sqlstate)
            c1.execute('rollback')
        thread.join(30)
    assert errors == []
    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            'select f.name from fund.funds as f where f.manager_id = %s order by f.name', [user]
        ).fetchall() == [('Twice First Fund',), ('Twice Second Fund',)]
        pending = "select count(*) from fund.flows where fund_id = %s and status = 'pending'"
        assert one(su, pending, [other]) == 1
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_subscription_and_the_quiet_strike_at_once(db_url):
    """A subscription requested before the strike's valuation time commits while fund.strike_quiet (the
    strike_funds job's set-based path) waits for the fund's row: the quiet path reads the pending requests
    again once it holds the row, leaves the fund to fund.strike, and the subscription deals at this day's
    strike, as fund.strike would deal it, not a day later."""
    day = dt.datetime(2026, 11, 2, 18, tzinfo=dt.UTC)
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live = setup_users(su, ['m_quiet', 'i_quiet'])
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_quiet']])
            fund = one(su, "select api.create_fund('Quiet Race Fund', 'mini')")
            su.execute('select api.strike_nav(%s, %s)', [fund, day - dt.timedelta(days=1)])

    subscribe = 'select api.subscribe(%s, %s, 1000)'
    quiet = 'select fund.strike_quiet(%s)'
    assert race(
        db_url, [(ids['i_quiet'], subscribe, [fund, live['i_quiet']]), (ids['m_quiet'], quiet, [day])]
    ) == [None, None]
    with psycopg.connect(db_url, autocommit=True) as su:
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_quiet']])
            su.execute('select api.strike_nav(%s, %s)', [fund, day])
        assert su.execute('select status, amount from fund.flows where fund_id = %s', [fund]).fetchall() == [
            ('dealt', 1000)
        ]
        assert one(su, 'select shares_outstanding from fund.funds where id = %s', [fund]) == 1000
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_a_deletion_and_a_fund_request_or_fund_at_once(db_url):
    """api.delete_account against a subscription or a new fund of the same user, in both orders. The user's
    row is taken first by all of them (auth.hold_active_user, the deletion's update): a subscription that
    commits first is canceled by the deletion and its cash returned, one that comes second finds the user
    deleted (TB004); a fund opened first makes the deletion refuse (TB083), one opened second finds the user
    deleted. Never a pending request of a deleted user, nor an open fund of one."""
    password = 'a long enough password 1'
    with psycopg.connect(db_url, autocommit=True) as su:
        ids = {}
        for name in ('d_sub_first', 'd_del_first', 'md_fund_first', 'md_del_first', 'md_fund'):
            ids[name] = one(
                su, 'select api.register_user(%s, %s, %s)', [f'{name}@fund-admin.example', name, password]
            )
            if name.startswith('m'):
                su.execute("update auth.users set role = 'fund_manager' where id = %s", [ids[name]])
            else:
                su.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
        live = {}
        for name in ('d_sub_first', 'd_del_first'):
            with su.transaction():
                su.execute('select api.act_as(%s)', [ids[name]])
                live[name] = one(su, "select api.create_account('FD live', 'live')")
                su.execute('select api.deposit(%s, 5000)', [live[name]])
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['md_fund']])
            fund = one(su, "select api.create_fund('Deletion Race Fund', 'mini')")

    delete = 'select api.delete_account(%s)'
    subscribe = 'select api.subscribe(%s, %s, 1000)'
    create = "select api.create_fund(%s, 'mini')"
    assert race(
        db_url,
        [
            (ids['d_sub_first'], subscribe, [fund, live['d_sub_first']]),
            (ids['d_sub_first'], delete, [password]),
        ],
    ) == [None, None]
    assert race(
        db_url,
        [
            (ids['d_del_first'], delete, [password]),
            (ids['d_del_first'], subscribe, [fund, live['d_del_first']]),
        ],
    ) == [None, 'TB004']
    assert race(
        db_url, [(ids['md_fund_first'], create, ['Opened First']), (ids['md_fund_first'], delete, [password])]
    ) == [None, 'TB083']
    assert race(
        db_url, [(ids['md_del_first'], delete, [password]), (ids['md_del_first'], create, ['Opened Second'])]
    ) == [None, 'TB004']

    with psycopg.connect(db_url, autocommit=True) as su:
        assert su.execute(
            'select u.username, u.is_active, (select count(*) from fund.funds as f where f.manager_id = u.id)'
            " from auth.users as u where u.username in ('d_sub_first', 'd_del_first', 'md_fund_first',"
            " 'md_del_first') order by u.username"
        ).fetchall() == [
            ('d_del_first', False, 0),
            ('d_sub_first', False, 0),
            ('md_del_first', False, 0),
            ('md_fund_first', True, 1),
        ]
        assert su.execute(
            'select u.username, l.status, l.pending_reason from fund.flows as l'
            ' inner join auth.users as u on l.user_id = u.id where l.fund_id = %s order by u.username',
            [fund],
        ).fetchall() == [('d_sub_first', 'canceled', 'account deleted')]
        assert su.execute(
            'select a.cash, a.status from trading.accounts as a where a.id in (%s, %s) order by a.cash',
            [live['d_sub_first'], live['d_del_first']],
        ).fetchall() == [(5000, 'archived'), (5000, 'archived')]
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_fund_risk_metrics_are_empyricals(db_url):
    rng = random.Random(17)
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live = setup_users(su, ['m_risk', 'i_risk'])
        su.execute("select api.upsert_security('FARW', 'Fund admin random walk', 'stock')")
        su.execute("select api.upsert_security('FABW', 'Fund admin benchmark walk', 'etf')")
        bench_security = one(su, "select id from market.securities where symbol = 'FABW'")
        bench = {}
        level = Decimal(300)
        for k in range(-1, DAYS + 1):
            level = (level * Decimal(1 + rng.gauss(0, 0.01))).quantize(Decimal('0.0001'))
            bench[START + dt.timedelta(days=k)] = level
            su.execute(
                'insert into market.market_data (security_id, timeframe, ts, open, high, low, close)'
                " values (%s, '1d', %s, %s, %s, %s, %s)",
                [bench_security, dt.datetime.combine(START + dt.timedelta(days=k), dt.time(), dt.UTC)]
                + [level] * 4,
            )
        su.execute(
            'insert into market.benchmarks (symbol, name, security_id)'
            " values ('FABWB', 'Walk benchmark', %s)",
            [bench_security],
        )
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_risk']])
            fund = one(
                su,
                "select api.create_fund('Walk Fund', 'mini', null, null, null, null, null, null, 'high',"
                " 'FABWB')",
            )
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['i_risk']])
            su.execute('select api.subscribe(%s, %s, 4000)', [fund, live['i_risk']])

        def at(day, hour):
            return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), dt.UTC)

        price = Decimal(100)
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m_risk']])
            su.execute("select api.record_price('FARW', %s, %s)", [price, at(0, 12)])
            su.execute('select api.strike_nav(%s, %s)', [fund, at(0, 18)])
            su.execute("select api.fund_trade(%s, 'FARW', 'buy', 30)", [fund])
            for day in range(1, DAYS + 1):
                price = (price * Decimal(1 + rng.gauss(0.001, 0.02))).quantize(Decimal('0.01'))
                su.execute("select api.record_price('FARW', %s, %s)", [price, at(day, 12)])
                su.execute('select api.strike_nav(%s, %s)', [fund, at(day, 18)])
        last = START + dt.timedelta(days=DAYS)
        assert one(su, 'select risk.write_fund_metrics(%s)', [last]) == 1

        returns = su.execute(
            'select snapshot_date, daily_return from fund.performance_snapshots'
            ' where fund_id = %s and daily_return is not null order by snapshot_date',
            [fund],
        ).fetchall()
        row = su.execute(
            'select observations, equity, var_95, var_99, cvar_95, cvar_99, volatility, beta, correlation,'
            ' tracking_error, information_ratio, var_95_loss from risk.metrics'
            ' where fund_id = %s and as_of = %s',
            [fund, last],
        ).fetchone()
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []

    r = np.array([x for _, x in returns])
    b = np.array([float(bench[d] / bench[d - dt.timedelta(days=1)]) - 1 for d, _ in returns])
    assert len(r) == DAYS and row[0] == DAYS
    expected = {
        'var_95': empyrical.value_at_risk(r, 0.05),
        'var_99': empyrical.value_at_risk(r, 0.01),
        'cvar_95': empyrical.conditional_value_at_risk(r, 0.05),
        'cvar_99': empyrical.conditional_value_at_risk(r, 0.01),
        'volatility': empyrical.annual_volatility(r, annualization=365),
        'beta': empyrical.beta(r, b),
        'correlation': np.corrcoef(r, b)[0, 1],
        'tracking_error': np.std(r - b, ddof=1) * math.sqrt(365),
        'information_ratio': empyrical.excess_sharpe(r, b) * math.sqrt(365),
    }
    got = dict(zip(expected, row[2:11], strict=True))
    for name, value in expected.items():
        assert math.isclose(got[name], value, rel_tol=1e-9, abs_tol=1e-15), (name, got[name], value)
    # The loss on the NAV: -VaR x NAV, the double precision VaR read as numeric (15 significant digits).
    assert row[11] == round(-Decimal(f'{got["var_95"]:.15g}') * row[1], 8)
