"""Pooled funds (issue 17, docs/funds.md): properties over random histories, and RLS as the app login.

Properties (hypothesis: random sequences of subscriptions, redemptions, price moves, manager trades and daily
strikes of one mini fund, 2 % management and 20 % performance fee, three investors, a crystallization date in
the middle of the history), checked after every strike:
- dealing never changes NAV per share beyond rounding: the fund's NAV after the day's dealing (cash +
  positions at the strike's prices - accrued fee) over the shares then outstanding is the struck NAV per
  share to 1e-8;
- with flat prices and no trade since the last strike, the NAV is the last strike's NAV after its dealing less
  the day's management fee, exactly, so NAV per share falls by exactly the fee per share (to the 10
  decimals it is published with);
- no investor pays a performance fee on gains made before their lot was dealt: every fee is charged above the
  lot's dealing price, all of a lot's fees together are at most rate x (its best NAV per share charged - its
  dealing price) x its original shares, and every lot's mark is at least its dealing price;
- a lot at or below its high-water mark accrues nothing, one above it accrues
  (NAV/share - mark) x shares x rate;
- the books balance and ops.verify_invariants() is empty after every step.
An explicit example (a 25 % rise, a redemption waiting for cash, its fee, the crystallization) runs every
time, and the run fails unless the histories charged a performance fee, held a lot above its mark, had a flat
day and left a redemption waiting for cash.

Statistics from running accumulators: fund.next_return_stats folded over random series (hypothesis) is
analytics.return_metrics over the returns so far at every step; a fund struck daily for 400 days by both of
the job's paths has on every snapshot return_metrics' volatility, Sharpe ratio and max drawdown to 1e-9
relative (the first snapshot none), a second strike of a day changes nothing, and a wrong accumulator shows.

Concurrency: two subscriptions at once to a fund with room for one investor, and two 60 percent
allocations at once: the second waits on the fund row and fails (22023, 23514). A cancel and a strike of the
same pending subscription, in both orders: canceled (cash back, nothing dealt) or dealt (the cancel refused,
22023), never both. Two redemptions by one investor that together exceed the holding: the second sees the
first (22023), one is pending. fund.strike_quiet (the job's set-based path) writes exactly what fund.strike
writes. The demo's fund step runs, and each investor's crystallized performance fee is the per-lot formula on
the gain from the lot's own dealing price, exactly.

RLS, as the app login tb_test_app: investors see their own holdings, lots and flows and no one else's;
everyone sees the active funds, their NAV history and their positions; a paused fund only its manager and its
investors; another user's fund, flow or account is refused (42501), KYC decisions are the administrators'.
"""

import datetime as dt
import itertools
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from psycopg import sql

from conftest import race, role_url

PASSWORD = 'correct horse battery staple'
BASE = dt.datetime(2025, 6, 2, tzinfo=dt.UTC)
RATE = Decimal('0.2')
SEEN = {
    'examples': 0,
    'strikes': 0,
    'dealt': 0,
    'performance_fees': 0,
    'flat_days': 0,
    'pending_for_cash': 0,
    'fills': 0,
    'lots_above_mark': 0,
}

step = st.one_of(
    st.tuples(st.just('subscribe'), st.integers(0, 2), st.integers(1000, 3000)),
    st.tuples(
        st.just('redeem'), st.integers(0, 2), st.sampled_from([Decimal('0.25'), Decimal('0.5'), Decimal(1)])
    ),
    st.tuples(
        st.just('price'), st.sampled_from([Decimal(p) for p in ('0.8', '0.9', '0.97', '1.03', '1.1', '1.25')])
    ),
    st.tuples(st.just('trade'), st.sampled_from(['buy', 'buy', 'sell']), st.sampled_from([0.3, 0.6, 0.95])),
    st.tuples(st.just('strike'), st.integers(1, 3)),
    st.tuples(st.just('strike'), st.integers(1, 2)),
)


@pytest.fixture(scope='module')
def book(db_url):
    """A manager, three KYC-verified investors with live accounts, and the security the fund trades."""
    with psycopg.connect(db_url, autocommit=True) as su:
        su.execute("select api.upsert_security('FPROP', 'Fund property', 'stock')")
        ids = {}
        for name, role in (
            ('fp_m', 'fund_manager'),
            ('fp_0', 'investor'),
            ('fp_1', 'investor'),
            ('fp_2', 'investor'),
        ):
            ids[name] = su.execute(
                'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
                [f'{name}@funds.example', name, role],
            ).fetchone()[0]
            if role == 'investor':
                su.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
        accounts = []
        for i in range(3):
            with su.transaction():
                su.execute('select api.act_as(%s)', [ids[f'fp_{i}']])
                accounts.append(su.execute("select api.create_account('FP live', 'live')").fetchone()[0])
    return ids, accounts


def one(conn, query, params=None):
    return conn.execute(query, params).fetchone()[0]


def check_strike(conn, fund, day_moved, post_nav):
    """The properties after a strike; returns the fund's NAV after the day's dealing (strike prices)."""
    nav, nps, fee, shares_before = conn.execute(
        'select nav, nav_per_share, management_fee, shares_outstanding from fund.performance_snapshots '
        'where fund_id = %s order by snapshot_date desc limit 1',
        [fund],
    ).fetchone()
    SEEN['strikes'] += 1
    SEEN['pending_for_cash'] += one(
        conn,
        "select count(*) from fund.flows where fund_id = %s and status = 'pending'"
        " and pending_reason like '%%free cash%%'",
        [fund],
    )
    # Flat prices and no trades since the last strike: the NAV is the last one (after its dealing) less the
    # day's fee, exactly, so NAV per share falls by exactly the fee per share (to its 10 decimals).
    if post_nav is not None and not day_moved and shares_before > 0:
        SEEN['flat_days'] += 1
        assert nav == post_nav - fee
        assert abs(nps - (post_nav / shares_before - fee / shares_before)) <= Decimal('0.5e-10')
    # Dealing keeps NAV per share: the fund now, valued at the same prices, over the shares now.
    cash, accrued, shares = conn.execute(
        'select a.cash, f.accrued_management_fee, f.shares_outstanding from fund.funds as f '
        'inner join trading.accounts as a on f.account_id = a.id where f.id = %s',
        [fund],
    ).fetchone()
    positions = one(
        conn,
        'select coalesce(sum(round(p.quantity * q.price, 8)), 0) from trading.positions as p '
        'inner join market.quotes as q on p.security_id = q.security_id '
        'inner join fund.funds as f on p.account_id = f.account_id where f.id = %s',
        [fund],
    )
    after = cash + positions - accrued
    if shares > 0:
        assert abs(after / shares - nps) <= Decimal('1e-8')
    # Lots: a mark never below the dealing price; above it an accrual, at or below it none.
    for mark, dealt_at, lot_shares, accrued_fee in conn.execute(
        'select l.high_water_mark, w.nav_per_share, l.shares, l.accrued_performance_fee'
        ' from api.fund_lots as l inner join fund.flows as w on l.flow_id = w.id'
        ' where l.fund_id = %s and l.shares > 0',
        [fund],
    ):
        assert mark >= dealt_at
        current = one(conn, 'select nav_per_share from fund.funds where id = %s', [fund])
        if current <= mark:
            assert accrued_fee == 0
            continue
        SEEN['lots_above_mark'] += 1
        expected = ((current - mark) * lot_shares * RATE).quantize(Decimal('1e-8'), rounding='ROUND_HALF_UP')
        assert accrued_fee == expected
    # No fee on gains made before a lot was dealt: each fee is charged above the lot's dealing price, and all
    # the fees a lot has paid together are at most the rate on its best gain per share since that price, on
    # its original shares (its mark only rises and its shares only fall, so the charges telescope; a gain
    # charged twice would break this), give or take each fee's rounding.
    for fees, paid, highest, dealt_nps, original in conn.execute(
        'select count(*), sum(a.amount), max(a.nav_per_share), min(w.nav_per_share), min(l.original_shares)'
        ' from fund.fee_accruals as a inner join fund.lots as l on a.lot_id = l.id'
        ' inner join fund.flows as w on l.flow_id = w.id'
        " where a.fund_id = %s and a.kind = 'performance' group by l.id",
        [fund],
    ):
        assert highest > dealt_nps
        assert paid <= RATE * (highest - dealt_nps) * original + fees * Decimal('1e-8')
    return after


@pytest.mark.usefixtures('replayed_fund_requests')  # strikes of days long past
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=8, max_size=30))
# Always, besides the random ones: a lot well above its mark (a buy, then a 25 % rise), a redemption the free
# cash cannot cover until the manager sells, its performance fee, flat days and the crystallization on day 5.
@example(
    steps=[
        ('subscribe', 0, 2000),
        ('strike', 1),
        ('trade', 'buy', 0.95),
        ('price', Decimal('1.25')),
        ('strike', 1),
        ('redeem', 0, Decimal('0.5')),
        ('strike', 1),
        ('trade', 'sell', 0.95),
        ('strike', 2),
        ('strike', 1),
    ]
)
def test_random_histories_keep_the_fund_rules(conn, book, steps):
    ids, accounts = book
    with conn.transaction(force_rollback=True):
        conn.execute("update auth.settings set value = '604800' where name = 'clock_skew_seconds'")
        conn.execute('select api.act_as(%s)', [ids['fp_m']])
        fund = one(conn, "select api.create_fund('Property fund', 'mini')")
        conn.execute(
            'update fund.funds set crystallization_date = %s where id = %s',
            [(BASE + dt.timedelta(days=5)).date(), fund],
        )
        for account in accounts:
            conn.execute('select api.deposit(%s, 30000)', [account])
        price = Decimal(100)
        day = 0
        conn.execute("select api.record_price('FPROP', %s, %s)", [price, BASE + dt.timedelta(hours=12)])
        conn.execute('select api.strike_nav(%s, %s)', [fund, BASE + dt.timedelta(hours=18)])
        moved = False
        quotes = 0
        post_nav = None
        for op in steps:
            if op[0] == 'subscribe':
                _, i, amount = op
                conn.execute('select api.act_as(%s)', [ids[f'fp_{i}']])
                try:
                    with conn.transaction():
                        conn.execute('select api.subscribe(%s, %s, %s)', [fund, accounts[i], amount])
                except psycopg.Error as err:
                    assert err.sqlstate == '22023', err  # beyond the fund's limits
            elif op[0] == 'redeem':
                _, i, part = op
                conn.execute('select api.act_as(%s)', [ids[f'fp_{i}']])
                free = one(
                    conn,
                    'select coalesce((select shares from fund.holdings '
                    'where fund_id = %(f)s and user_id = %(u)s), 0) - coalesce((select sum(shares) '
                    'from fund.flows where fund_id = %(f)s and user_id = %(u)s '
                    "and status = 'pending' and kind = 'redemption'), 0)",
                    {'f': fund, 'u': ids[f'fp_{i}']},
                )
                shares = (free * part).quantize(Decimal('1e-10'), rounding='ROUND_DOWN')
                if shares > 0:
                    conn.execute('select api.redeem(%s, %s, %s)', [fund, accounts[i], shares])
            elif op[0] == 'price':
                price = (price * op[1]).quantize(Decimal('0.01'))
                quotes += 1
                conn.execute(  # a quote of the next strike day, after the last strike's time
                    "select api.record_price('FPROP', %s, %s)",
                    [price, BASE + dt.timedelta(days=day + 1, hours=12, minutes=quotes)],
                )
                moved = True
            elif op[0] == 'trade':
                _, side, part = op  # a share of the cash (buy) or of the units held (sell)
                cash, units = conn.execute(
                    'select a.cash - a.reserved_cash, coalesce((select quantity from trading.positions as p '
                    'where p.account_id = a.id), 0) from fund.funds as f inner join trading.accounts as a '
                    'on f.account_id = a.id where f.id = %s',
                    [fund],
                ).fetchone()
                quantity = int((cash / price if side == 'buy' else units) * Decimal(str(part)))
                if quantity > 0:
                    conn.execute('select api.act_as(%s)', [ids['fp_m']])
                    status = one(
                        conn, "select status from api.fund_trade(%s, 'FPROP', %s, %s)", [fund, side, quantity]
                    )
                    moved = moved or status == 'filled'
                    SEEN['fills'] += status == 'filled'
            else:
                for _ in range(op[1]):
                    day += 1
                    conn.execute('select api.act_as(%s)', [ids['fp_m']])
                    conn.execute(
                        'select api.strike_nav(%s, %s)', [fund, BASE + dt.timedelta(days=day, hours=18)]
                    )
                    post_nav = check_strike(conn, fund, moved, post_nav)
                    moved = False
            assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
        SEEN['examples'] += 1
        SEEN['dealt'] += one(
            conn, "select count(*) from fund.flows where fund_id = %s and status = 'dealt'", [fund]
        )
        SEEN['performance_fees'] += one(
            conn, "select count(*) from fund.fee_accruals where fund_id = %s and kind = 'performance'", [fund]
        )


def test_the_histories_exercised_the_rules():
    """Runs after the property: what the random histories did (pytest -s prints it)."""
    print(f'\nfund histories: {SEEN}')
    assert SEEN['strikes'] > 0 and SEEN['dealt'] > 0
    # Every rule was exercised, not only checked on histories where it could not fail.
    assert min(SEEN[k] for k in ('performance_fees', 'flat_days', 'lots_above_mark', 'pending_for_cash')) > 0


# -- RLS as the app login ------------------------------------------------------------------------------
def register(app, name):
    user_id = app.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@funds.example', name, PASSWORD]
    ).fetchone()[0]
    token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
    return user_id, token


def sqlstate(app, token, query, params=None):
    try:
        with app.transaction(force_rollback=True):
            app.execute('select api.authenticate(%s)', [token])
            app.execute(query, params)
    except psycopg.Error as err:
        return err.sqlstate
    return None


def as_user(app, token, query, params=None):
    with app.transaction():
        app.execute('select api.authenticate(%s)', [token])
        return app.execute(query, params).fetchall()


def test_investors_see_their_own_and_everyone_the_active_funds(db_url):
    with (
        psycopg.connect(db_url, autocommit=True) as su,
        psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app,
    ):
        su.execute("select api.upsert_security('FRLS', 'Fund RLS', 'stock')")
        su.execute("select api.record_price('FRLS', 10, clock_timestamp())")
        manager, m = register(app, 'rls_manager')
        other_manager, m2 = register(app, 'rls_manager2')
        a_id, a = register(app, 'rls_investor_a')
        b_id, b = register(app, 'rls_investor_b')
        _, c = register(app, 'rls_outsider')
        su.execute(
            "update auth.users set role = 'fund_manager' where id in (%s, %s)", [manager, other_manager]
        )
        assert sqlstate(app, a, "select api.set_kyc_status(%s, 'verified')", [a_id]) == '42501'
        for investor in (a_id, b_id):
            su.execute("select api.set_kyc_status(%s, 'verified')", [investor])
        fund = as_user(app, m, "select api.create_fund('RLS Fund', 'mini')")[0][0]
        fund_account, fee_account = su.execute(
            'select account_id, fee_account_id from fund.funds where id = %s', [fund]
        ).fetchone()
        live = {}
        flows = {}
        for name, token in (('a', a), ('b', b)):
            live[name] = as_user(app, token, "select api.create_account('RLS live', 'live')")[0][0]
            as_user(app, token, 'select api.deposit(%s, 5000)', [live[name]])
            flows[name] = as_user(
                app, token, 'select id from api.subscribe(%s, %s, 2000)', [fund, live[name]]
            )[0][0]
        as_user(app, m, 'select api.strike_nav(%s)', [fund])
        as_user(app, m, "select api.fund_trade(%s, 'FRLS', 'buy', 10)", [fund])

        for name, token, user_id in (('a', a, a_id), ('b', b, b_id)):
            for relation in (
                'api.fund_holdings',
                'api.fund_lots',
                'api.fund_flows',
                'fund.holdings',
                'fund.lots',
                'fund.flows',
            ):
                query = sql.SQL('select user_id from {}').format(sql.Identifier(*relation.split('.')))
                rows = as_user(app, token, query)
                assert rows == [(user_id,)], (name, relation, rows)
        for token in (a, c, m2):
            assert as_user(app, token, 'select count(*) from api.funds where id = %s', [fund]) == [(1,)]
            assert as_user(app, token, 'select count(*) from api.fund_navs where fund_id = %s', [fund]) == [
                (1,)
            ]
            assert as_user(app, token, 'select symbol, quantity from api.fund_positions(%s)', [fund]) == [
                ('FRLS', Decimal('10.0000000000'))
            ]
            assert as_user(app, token, 'select nav_per_share from api.fund_nav(%s)', [fund]) == [
                (Decimal(1),)
            ]
            # The fund account itself stays its owner's: RLS on trading.positions hides it from others.
            assert as_user(
                app, token, 'select count(*) from api.positions where account_id = %s', [fund_account]
            ) == [(0,)]
        assert as_user(app, c, 'select count(*) from fund.holdings') == [(0,)]

        # Refusals: another manager's fund, another user's flow or account, cash out of a fund account.
        for token, query, params in (
            (a, 'select api.strike_nav(%s)', [fund]),
            (m2, 'select api.strike_nav(%s)', [fund]),
            (a, "select api.fund_trade(%s, 'FRLS', 'sell', 1)", [fund]),
            (m2, "select api.fund_trade(%s, 'FRLS', 'sell', 1)", [fund]),
            (m2, "select api.set_fund_strategy(%s, 'x', 10)", [fund]),
            (b, 'select api.cancel_fund_flow(%s)', [flows['a']]),
            (b, 'select api.subscribe(%s, %s, 1000)', [fund, live['a']]),
            (b, 'select api.redeem(%s, %s, 1)', [fund, live['a']]),
            (m, 'select api.withdraw(%s, 1)', [fund_account]),
            (m, 'select api.transfer_cash(%s, %s, 1)', [fund_account, fee_account]),
        ):
            assert sqlstate(app, token, query, params) == '42501', query

        # A paused fund: its manager and investors still see it, outsiders do not.
        su.execute("update fund.funds set status = 'paused' where id = %s", [fund])
        assert as_user(app, c, 'select count(*) from api.funds where id = %s', [fund]) == [(0,)]
        assert as_user(app, c, 'select count(*) from api.fund_navs where fund_id = %s', [fund]) == [(0,)]
        assert sqlstate(app, c, 'select api.fund_nav(%s)', [fund]) == 'P0002'
        assert sqlstate(app, c, 'select * from api.fund_positions(%s)', [fund]) == 'P0002'
        for token in (a, m):
            assert as_user(app, token, 'select count(*) from api.funds where id = %s', [fund]) == [(1,)]
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_only_the_manager_sees_the_fees(db_url):
    """fund.fee_accruals, as the app login: the fund's manager sees its performance fees, its investor and
    another manager do not. The fees come from a real crystallization: A's request, dealt yesterday at 1.00,
    a buy, a 20 % rise and today's strike on the crystallization date."""
    yesterday = dt.datetime.combine(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1), dt.time(), dt.UTC)
    with (
        psycopg.connect(db_url, autocommit=True) as su,
        psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app,
    ):
        su.execute("select api.upsert_security('FFEE', 'Fund fees', 'stock')")
        su.execute("select api.record_price('FFEE', 100, %s)", [yesterday + dt.timedelta(hours=12)])
        manager, m = register(app, 'fee_manager')
        other_manager, m2 = register(app, 'fee_other_manager')
        investor, a = register(app, 'fee_investor')
        su.execute(
            "update auth.users set role = 'fund_manager' where id in (%s, %s)", [manager, other_manager]
        )
        su.execute("select api.set_kyc_status(%s, 'verified')", [investor])
        fund = as_user(app, m, "select api.create_fund('Fee Fund', 'mini')")[0][0]
        live = as_user(app, a, "select api.create_account('Fee live', 'live')")[0][0]
        as_user(app, a, 'select api.deposit(%s, 5000)', [live])
        flow = as_user(app, a, 'select id from api.subscribe(%s, %s, 2000)', [fund, live])[0][0]
        su.execute(  # requested yesterday morning, so that yesterday's strike deals it
            'update fund.flows set requested_at = %s where id = %s', [yesterday + dt.timedelta(hours=9), flow]
        )
        as_user(app, m, 'select api.strike_nav(%s, %s)', [fund, yesterday + dt.timedelta(hours=18)])
        as_user(app, m, "select api.fund_trade(%s, 'FFEE', 'buy', 19)", [fund])
        su.execute("select api.record_price('FFEE', 120)")
        su.execute('update fund.funds set crystallization_date = current_date where id = %s', [fund])
        as_user(app, m, 'select api.strike_nav(%s)', [fund])
        query = "select count(*) from fund.fee_accruals where fund_id = %s and kind = 'performance'"
        assert as_user(app, m, query, [fund]) == [(1,)]
        assert as_user(app, a, query, [fund]) == [(0,)]
        assert as_user(app, m2, query, [fund]) == [(0,)]
        assert su.execute(query, [fund]).fetchone()[0] == 1
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def test_the_demo_shows_a_fund_month(db_url, capsys):
    """make demo's fund step: two investors (B below A's high-water mark), a month of daily strikes, the
    management fee paid at the month end and each investor's performance fee on their own gain: A's on its
    gain above its dealing price (1.00), B's on its gain from its own, lower one. From the fund's tables each
    lot's fee is the documented formula (fund.lot_performance_fee: round((NAV/share - mark) x shares x rate,
    8)) with the mark at the lot's dealing price and the crystallizing strike's NAV per share, exactly; the
    lot gives up round(fee / NAV per share, 10) shares, its mark moves up, the fee account is paid the
    sum; every strike's accrued performance fee is the per-lot sum (a fund-level mark would differ once B
    is in)."""
    from tradebase import demo

    demo.funds(db_url)
    out = capsys.readouterr().out
    assert '== invariants: all hold' in out
    assert 'fees paid to the manager: management ' in out and ', performance ' in out
    investors = [line.split() for line in out.splitlines() if line.strip().startswith(('A ', 'B '))]
    (_, a_dealt, *_, a_fee), (_, b_dealt, *_, b_fee) = investors
    assert Decimal(b_dealt) < Decimal(a_dealt) == 1
    assert Decimal(a_fee) > 0 and Decimal(b_fee) > 0

    name = next(line for line in out.splitlines() if line.startswith('== fund ')).split()[2:5]
    with psycopg.connect(db_url, autocommit=True) as su:
        fund, rate, fund_account, fee_account = su.execute(
            'select id, performance_fee_rate, account_id, fee_account_id from fund.funds where name = %s',
            [' '.join(name)],
        ).fetchone()
        # Each lot (A's first): its dealing price (its mark until the crystallization), its shares, its fee.
        lots = su.execute(
            'select l.id, l.user_id, w.nav_per_share, w.strike_date, l.original_shares, l.shares,'
            ' l.high_water_mark, a.amount, a.shares_cancelled, a.nav_per_share, a.accrual_date, a.journal_id,'
            ' a.flow_id, h.shares'
            ' from fund.lots as l inner join fund.flows as w on l.flow_id = w.id'
            ' inner join fund.fee_accruals as a on a.lot_id = l.id'
            ' inner join fund.holdings as h on l.fund_id = h.fund_id and l.user_id = h.user_id'
            " where l.fund_id = %s and a.kind = 'performance' order by w.strike_date",
            [fund],
        ).fetchall()
        snapshots = su.execute(
            'select snapshot_date, nav_per_share, accrued_performance_fee, struck_at'
            ' from fund.performance_snapshots where fund_id = %s order by snapshot_date',
            [fund],
        ).fetchall()
        crystallized = one(
            su, 'select array_agg(distinct crystallized_at) from fund.lots where fund_id = %s', [fund]
        )
        journal = dict(
            su.execute(
                'select account_id, sum(amount) from trading.transactions where journal_id = %s group by 1',
                [lots[0][11]],
            ).fetchall()
        )
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []
    assert len(lots) == 2 and lots[0][1] != lots[1][1]  # one fee per lot, each crystallized once, A and B
    occasions = {(lot[10], lot[11]) for lot in lots}  # both on the same strike, in one journal
    assert len(occasions) == 1
    ((day, _),) = occasions
    assert all(lot[12] is None for lot in lots)  # not a redemption's
    assert snapshots[-1][0] == day  # the month's last strike, the crystallization date
    nps = snapshots[-1][1]  # the crystallizing NAV per share
    assert crystallized == [snapshots[-1][3]]

    def lot_fee(nav_per_share, mark, shares):
        """fund.lot_performance_fee: round half up to 8 decimals, never below 0 (numeric's round)."""
        with localcontext() as ctx:
            ctx.prec = 60
            fee = ((nav_per_share - mark) * shares * rate).quantize(Decimal('1e-8'), rounding=ROUND_HALF_UP)
        return max(fee, Decimal(0))

    (_, _, a_price, a_day, a_shares, *_), (_, _, b_price, b_day, b_shares, *_) = lots
    assert a_price == Decimal(a_dealt)
    assert b_price.quantize(Decimal('1e-6'), ROUND_HALF_UP) == Decimal(b_dealt)
    assert a_day < b_day < day and b_price < a_price < nps
    for _, _, price, _, original, shares, mark, fee, cancelled, at, *_, held in lots:
        # No redemption and no earlier crystallization: the lot's mark was its dealing price until now.
        assert at == nps
        assert fee == lot_fee(nps, price, original) > 0
        with localcontext() as ctx:
            ctx.prec = 60
            assert cancelled == (fee / nps).quantize(Decimal('1e-10'), rounding=ROUND_HALF_UP)
        assert shares == original - cancelled == held
        assert mark == nps
    a_paid, b_paid = lots[0][7], lots[1][7]
    assert [Decimal(a_fee), Decimal(b_fee)] == [
        p.quantize(Decimal('0.01'), ROUND_HALF_UP) for p in (a_paid, b_paid)
    ]
    # The fees were charged: one journal from the fund account to the fee account, of their sum.
    assert journal == {fund_account: -(a_paid + b_paid), fee_account: a_paid + b_paid}

    # Every strike accrued the per-lot fees: each lot dealt before it (the snapshot is taken before the day's
    # dealing) at its own mark, its dealing price (nothing crystallized before the last day).
    for snapshot_date, nav_per_share, accrued, _ in snapshots:
        expected = sum(
            (
                lot_fee(nav_per_share, price, original)
                for _, _, price, dealt, original, *_ in lots
                if dealt < snapshot_date
            ),
            Decimal(0),
        )
        assert accrued == expected, snapshot_date
    assert snapshots[-1][2] == a_paid + b_paid
    # Equalization, against a single fund-level high-water mark (the inception price, 1.00: no fee was
    # crystallized before): B, who came in below it, pays on its gain from its own price, more than a
    # fund-level mark would charge it by exactly the rate on the recovery below 1.00 it rode (no free ride);
    # A, who bought at 1.00, pays only above 1.00, less than a mark at B's entry price would charge it (A's
    # losses come back fee-free); and per share B pays more than A.
    fund_mark = snapshots[0][1]
    assert fund_mark == a_price == 1
    b_fund_level = lot_fee(nps, fund_mark, b_shares)
    assert b_paid > b_fund_level
    assert abs(b_paid - b_fund_level - rate * (fund_mark - b_price) * b_shares) <= Decimal('1e-8')
    assert a_paid < lot_fee(nps, b_price, a_shares)
    assert a_paid / a_shares < b_paid / b_shares


@pytest.mark.usefixtures('replayed_fund_requests')  # strikes of days long past
def test_the_quiet_strike_is_fund_strike(db_url):
    """fund.strike_quiet (the strike_funds job's set-based path) writes exactly what fund.strike writes for
    each fund with nothing to deal, pay or crystallize (a request made after the strike's valuation time is
    not for this strike), and leaves the others (a pending request) alone."""
    day = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    with psycopg.connect(db_url, autocommit=True) as su:

        def acting(user, query, params=None):
            with su.transaction():
                su.execute('select api.act_as(%s)', [user])
                return su.execute(query, params).fetchall()

        ids = {}
        for name, role in (('q_m', 'fund_manager'), ('q_a', 'investor'), ('q_b', 'investor')):
            ids[name] = one(
                su,
                'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
                [f'{name}@funds.example', name, role],
            )
        for name in ('q_a', 'q_b'):
            su.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
        live = {
            n: acting(ids[n], "select api.create_account('Q live', 'live')")[0][0] for n in ('q_a', 'q_b')
        }
        for n in live:
            acting(ids[n], 'select api.deposit(%s, 40000)', [live[n]])
        for symbol in ('QS1', 'QS2'):
            su.execute("select api.upsert_security(%s, 'Quiet', 'stock')", [symbol])
            su.execute('select api.record_price(%s, 50, %s)', [symbol, day + dt.timedelta(hours=12)])
        funds = [
            acting(ids['q_m'], "select api.create_fund(%s, 'mini')", [f'Quiet {i}'])[0][0] for i in range(4)
        ]
        for i, fund in enumerate(funds):
            acting(ids['q_a'], 'select api.subscribe(%s, %s, %s)', [fund, live['q_a'], 3000 + 1000 * i])
            if i % 2:
                acting(ids['q_b'], 'select api.subscribe(%s, %s, 2500)', [fund, live['q_b']])
            acting(ids['q_m'], 'select api.strike_nav(%s, %s)', [fund, day + dt.timedelta(hours=18)])
        acting(ids['q_m'], "select api.fund_trade(%s, 'QS1', 'buy', 50)", [funds[0]])
        acting(ids['q_m'], "select api.fund_trade(%s, 'QS1', 'buy', 20)", [funds[1]])
        acting(ids['q_m'], "select api.fund_trade(%s, 'QS2', 'buy', 60)", [funds[1]])
        su.execute("select api.record_price('QS1', 61.37, %s)", [day + dt.timedelta(days=1, hours=12)])
        for fund in funds:
            acting(ids['q_m'], 'select api.strike_nav(%s, %s)', [fund, day + dt.timedelta(days=1, hours=18)])
        su.execute("select api.record_price('QS2', 44.11, %s)", [day + dt.timedelta(days=2, hours=12)])
        acting(ids['q_b'], 'select api.subscribe(%s, %s, 1000)', [funds[3], live['q_b']])  # not quiet
        as_of = day + dt.timedelta(days=3, hours=18)  # two days' fee
        # A request made after the strike's valuation time deals at a later strike: its fund is quiet.
        late = acting(ids['q_a'], 'select (api.subscribe(%s, %s, 1000)).id', [funds[2], live['q_a']])[0][0]
        su.execute(
            'update fund.flows set requested_at = %s where id = %s', [as_of + dt.timedelta(hours=1), late]
        )

        def written():
            return (
                su.execute(
                    'select fund_id, snapshot_date, as_of, cash, positions_value, accrued_management_fee,'
                    ' management_fee, accrued_performance_fee, nav, shares_outstanding, nav_per_share,'
                    ' daily_return, cumulative_return, volatility, sharpe_ratio, max_drawdown, return_count,'
                    ' return_sum, return_sxx, return_min, return_max, log_wealth, log_peak, log_floor,'
                    ' log_drawdown from fund.performance_snapshots where fund_id = any(%s) order by 1, 2',
                    [funds[:3]],
                ).fetchall(),
                su.execute(
                    'select id, accrued_management_fee, management_fee_unpaid_since, nav_per_share,'
                    ' last_strike_date, shares_outstanding from fund.funds where id = any(%s) order by 1',
                    [funds],
                ).fetchall(),
                su.execute(
                    'select id, shares, high_water_mark, accrued_performance_fee from api.fund_lots'
                    ' where fund_id = any(%s) order by 1',
                    [funds],
                ).fetchall(),
                su.execute(
                    'select fund_id, kind, accrual_date, amount from fund.fee_accruals'
                    ' where fund_id = any(%s) order by 1, 3',
                    [funds],
                ).fetchall(),
            )

        with su.transaction(force_rollback=True):
            for fund in funds[:3]:
                su.execute('select fund.strike(%s, %s)', [fund, as_of])
            one_by_one = written()
        with su.transaction(force_rollback=True):
            assert one(su, 'select fund.strike_quiet(%s)', [as_of]) == 3
            together = written()
            assert (
                one(su, 'select last_strike_date from fund.funds where id = %s', [funds[3]])
                == (day + dt.timedelta(days=1)).date()
            )
            assert one(su, 'select status from fund.flows where id = %s', [late]) == 'pending'
            assert su.execute('select * from ops.verify_invariants()').fetchall() == []
        assert one_by_one == together
        assert any(row[7] > 0 for row in together[0])  # a lot above its mark was accrued


def test_the_job_strikes_every_fund_when_the_quiet_path_fails(db_url):
    """ops.job_strike_funds strikes the quiet funds with fund.strike_quiet; if that fails, every fund is still
    struck one by one, and the quiet path's error goes to the server log as a warning (not lost)."""
    with psycopg.connect(db_url) as su:  # one transaction, rolled back: the broken strike_quiet goes with it
        manager = one(
            su,
            'insert into auth.users (email, username, role)'
            " values ('j_m@funds.example', 'j_m', 'fund_manager') returning id",
        )
        su.execute('select api.act_as(%s)', [manager])
        fund = one(su, "select api.create_fund('Job Fund', 'mini')")
        su.execute("select api.strike_nav(%s, '2026-03-02 18:00+00')", [fund])
        su.execute(
            'create or replace function fund.strike_quiet(p_as_of timestamptz) returns bigint'
            " language plpgsql as $$ begin raise exception 'the quiet path broke'; end $$"
        )
        warnings = []
        su.add_notice_handler(lambda d: warnings.append((d.severity_nonlocalized, d.message_primary)))
        assert one(su, "select ops.job_strike_funds('2026-03-03', '2026-03-04')") >= 1
        assert one(su, 'select last_strike_date from fund.funds where id = %s', [fund]) == dt.date(2026, 3, 3)
        assert (
            'WARNING',
            'fund.strike_quiet failed, every fund is struck one by one: the quiet path broke',
        ) in warnings
        su.rollback()


def test_max_investors_and_allocations_hold_under_concurrency(db_url):
    """Two investors subscribe at once to a fund with room for one, and two allocations of 60 percent are set
    at once: the fund row's lock makes the second wait for the first's commit, then see it and fail (22023
    and 23514), never both succeed."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids = {}
        for name, role in (('c_m', 'fund_manager'), ('c_a', 'investor'), ('c_b', 'investor')):
            ids[name] = one(
                su,
                'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
                [f'{name}@funds.example', name, role],
            )
        live = {}
        for name in ('c_a', 'c_b'):
            su.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
            with su.transaction():
                su.execute('select api.act_as(%s)', [ids[name]])
                live[name] = one(su, "select api.create_account('C live', 'live')")
                su.execute('select api.deposit(%s, 5000)', [live[name]])
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['c_m']])
            fund = one(su, "select api.create_fund('Crowded Fund', 'mini', null, null, null, 1)")

    subscribe = 'select api.subscribe(%s, %s, 1000)'
    assert race(
        db_url, [(ids['c_a'], subscribe, [fund, live['c_a']]), (ids['c_b'], subscribe, [fund, live['c_b']])]
    ) == [
        None,
        '22023',
    ]
    allocate = 'select api.set_fund_strategy(%s, %s, 60)'
    assert race(db_url, [(ids['c_m'], allocate, [fund, 'One']), (ids['c_m'], allocate, [fund, 'Two'])]) == [
        None,
        '23514',
    ]
    with psycopg.connect(db_url, autocommit=True) as su:
        assert (
            one(su, "select count(*) from fund.flows where fund_id = %s and status = 'pending'", [fund]) == 1
        )
        assert (
            one(su, 'select sum(allocation_pct) from fund.fund_strategies where fund_id = %s', [fund]) == 60
        )
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


def investor_and_fund(su, tag, deposit, amount):
    """A manager, a KYC-verified investor with a live account holding `deposit`, and the manager's new fund
    (never struck) with the investor's pending subscription of `amount`: (ids, live account, fund, flow)."""
    ids = {}
    for who, role in (('m', 'fund_manager'), ('i', 'investor')):
        ids[who] = one(
            su,
            'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
            [f'{tag}_{who}@funds.example', f'{tag}_{who}', role],
        )
    su.execute("select api.set_kyc_status(%s, 'verified')", [ids['i']])
    with su.transaction():
        su.execute('select api.act_as(%s)', [ids['i']])
        live = one(su, "select api.create_account('Race live', 'live')")
        su.execute('select api.deposit(%s, %s)', [live, deposit])
    with su.transaction():
        su.execute('select api.act_as(%s)', [ids['m']])
        fund = one(su, "select api.create_fund(%s, 'mini')", [f'Race fund {tag}'])
    with su.transaction():
        su.execute('select api.act_as(%s)', [ids['i']])
        flow = one(su, 'select (api.subscribe(%s, %s, %s)).id', [fund, live, amount])
    return ids, live, fund, flow


@pytest.mark.parametrize('cancel_first', [True, False], ids=['cancel-then-strike', 'strike-then-cancel'])
def test_a_pending_subscription_is_dealt_or_canceled_never_both(db_url, cancel_first):
    """api.cancel_fund_flow and api.strike_nav on the same pending subscription, in two connections, the
    first holding its locks until the second waits on the fund row (sql/api/cancel_fund_flow.sql): either
    it is canceled, its cash back in the investor's account and the strike (which still runs) deals nothing,
    or it is dealt and the cancel is refused as not pending (22023); never both. Either way the investor's
    cash plus the value of their holding is what they deposited, and the books balance."""
    deposit, amount = Decimal(5000), Decimal(2000)
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live, fund, flow = investor_and_fund(su, f'rc_{int(cancel_first)}', deposit, amount)
    cancel = (ids['i'], 'select api.cancel_fund_flow(%s)', [flow])
    strike = (ids['m'], 'select api.strike_nav(%s)', [fund])
    results = race(db_url, [cancel, strike] if cancel_first else [strike, cancel])
    with psycopg.connect(db_url, autocommit=True) as su:
        status, refund, deal, shares = su.execute(
            'select status, refund_journal_id, deal_journal_id, shares from fund.flows where id = %s', [flow]
        ).fetchone()
        lots = su.execute('select shares from fund.lots where flow_id = %s', [flow]).fetchall()
        held = one(
            su,
            'select coalesce(sum(shares), 0) from fund.holdings where fund_id = %s and user_id = %s',
            [fund, ids['i']],
        )
        nps, outstanding, fund_cash, struck = su.execute(
            'select f.nav_per_share, f.shares_outstanding, a.cash, f.last_strike_date from fund.funds as f'
            ' inner join trading.accounts as a on f.account_id = a.id where f.id = %s',
            [fund],
        ).fetchone()
        cash = one(su, 'select cash from trading.accounts where id = %s', [live])
        snapshots = one(su, 'select count(*) from fund.performance_snapshots where fund_id = %s', [fund])
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []
    assert struck is not None and snapshots == 1  # the strike ran, in both orders
    if cancel_first:
        assert results == [None, None]  # the strike, after the cancel, found nothing to deal
        assert (status, deal, shares, lots) == ('canceled', None, None, [])
        assert refund is not None
        assert cash == deposit and held == 0 and outstanding == 0 and fund_cash == 0
    else:
        assert results == [None, '22023']  # dealt; the cancel, after the strike, saw it was no longer pending
        assert (status, refund) == ('dealt', None) and deal is not None
        assert nps == 1 and shares == amount and lots == [(amount,)]
        assert cash == deposit - amount and held == outstanding == amount and fund_cash == amount
    assert cash + held * nps == deposit


def test_concurrent_redemptions_see_each_other(db_url):
    """Two redemptions by the same investor at once whose shares together exceed the holding (2,000 shares,
    1,200 each): the second waits on the fund row for the first's commit, then counts its pending shares
    (sql/api/redeem.sql) and is refused (22023, more shares than held less pending redemptions); one request
    is pending. The refusal is the pending one's: exactly the 800 shares left are still redeemable."""
    with psycopg.connect(db_url, autocommit=True) as su:
        ids, live, fund, _ = investor_and_fund(su, 'rr', 5000, 2000)
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['m']])
            su.execute('select api.strike_nav(%s)', [fund])
        held = 'select shares from fund.holdings where fund_id = %s and user_id = %s'
        assert one(su, held, [fund, ids['i']]) == 2000
    redeem = (ids['i'], 'select api.redeem(%s, %s, 1200)', [fund, live])
    assert race(db_url, [redeem, redeem]) == [None, '22023']
    with psycopg.connect(db_url, autocommit=True) as su:
        pending = (
            "select shares from fund.flows where fund_id = %s and kind = 'redemption' and status = 'pending'"
        )
        assert su.execute(pending, [fund]).fetchall() == [(1200,)]
        with su.transaction():
            su.execute('select api.act_as(%s)', [ids['i']])
            with pytest.raises(psycopg.Error) as refused, su.transaction():
                su.execute('select api.redeem(%s, %s, 800.0000000001)', [fund, live])
            assert refused.value.sqlstate == '22023'
            su.execute('select api.redeem(%s, %s, 800)', [fund, live])
        assert sorted(su.execute(pending, [fund]).fetchall()) == [(800,), (1200,)]
        assert one(su, held, [fund, ids['i']]) == 2000
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []


# The snapshots' statistics from running accumulators (fund.next_return_stats, migration 0800): each snapshot
# carries count, sum, Youngs-Cramer sum of squared deviations, min, max, and the log wealth, its peak, floor
# and deepest drawdown, so the strike takes volatility, Sharpe and max drawdown from the previous snapshot in
# O(1). They must be analytics.return_metrics' figures over the same returns to 1e-9 relative.
LAST_SNAPSHOT = (
    'select return_count, return_sum, return_sxx, return_min, return_max, log_wealth, log_peak, log_floor,'
    ' log_drawdown, volatility, sharpe_ratio, max_drawdown from fund.performance_snapshots'
    ' where fund_id = %s order by snapshot_date desc limit 1'
)
COMPARED = """
    select s.snapshot_date, s.daily_return, s.volatility, s.sharpe_ratio, s.max_drawdown, m.annual_volatility,
        m.sharpe_ratio, m.max_drawdown, s.return_count, m.observations
    from fund.performance_snapshots as s
    cross join lateral analytics.return_metrics(
        (select coalesce(array_agg(h.daily_return order by h.snapshot_date), '{}')
         from fund.performance_snapshots as h
         where h.fund_id = s.fund_id and h.snapshot_date <= s.snapshot_date and h.daily_return is not null),
        null, 252
    ) as m
    where s.fund_id = %s
    order by s.snapshot_date
"""


def same(got, expected):
    """Both NULL, or equal to 1e-9 relative."""
    if got is None or expected is None:
        return got is None and expected is None
    return abs(got - expected) <= 1e-9 * abs(expected)


def mismatches(rows):
    """The snapshots (or folded steps) whose statistics are not return_metrics' over the same returns."""
    return [
        row for row in rows if not all(same(row[2 + k], row[5 + k]) for k in range(3)) or row[8] != row[9]
    ]


returns = st.lists(
    st.one_of(
        st.floats(-0.2, 0.2, allow_nan=False).map(lambda r: round(r, 12)),  # what NAV per share moves by
        st.sampled_from([0.0, 0.01, -0.01, 1e-12, -0.5, 3.0]),  # repeats: constant runs, ties, big moves
        st.none(),  # a strike without a return (a fund's first): nothing changes
    ),
    min_size=1,
    max_size=400,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(series=returns)
def test_the_accumulators_are_return_metrics(conn, series):
    """fund.next_return_stats folded over a random series of returns (with constant runs, ties, large
    moves and steps without a return) gives, at every step, analytics.return_metrics' volatility, Sharpe
    ratio and max drawdown over the returns so far, and keeps every accumulator unchanged on a step
    without one."""
    rows = conn.execute(
        """
        with recursive
        x as (select u.r, u.i::integer from unnest(%s::double precision []) with ordinality as u (r, i)),
        s as (
            select 0 as i, n.*
            from fund.next_return_stats(0, null, null, null, null, null, null, null, null, null) as n
            union all
            select x.i, n.*
            from s
            inner join x on s.i + 1 = x.i
            cross join lateral fund.next_return_stats(
                s.return_count, s.return_sum, s.return_sxx, s.return_min, s.return_max, s.log_wealth,
                s.log_peak, s.log_floor, s.log_drawdown, x.r
            ) as n
        )
        select s.i, x.r, s.volatility, s.sharpe_ratio, s.max_drawdown, m.annual_volatility, m.sharpe_ratio,
            m.max_drawdown, s.return_count, m.observations, s.return_count, s.return_sum, s.return_sxx,
            s.return_min, s.return_max, s.log_wealth, s.log_peak, s.log_floor, s.log_drawdown
        from s
        left join x on s.i = x.i
        cross join lateral analytics.return_metrics(
            (
                select coalesce(array_agg(y.r order by y.i), '{}') from x as y
                where y.i <= s.i and y.r is not null
            ),
            null, 252
        ) as m
        order by s.i
        """,
        [series],
    ).fetchall()
    assert len(rows) == len(series) + 1
    assert mismatches(rows) == []
    for before, after in itertools.pairwise(rows):
        if after[1] is None:
            assert after[10:] == before[10:]


@pytest.mark.usefixtures('replayed_fund_requests')  # strikes of days long past
def test_a_long_struck_history_keeps_return_metrics(db_url):
    """A fund struck daily for more than a year of random price moves, by the strike_funds job's quiet path
    (fund.strike_quiet) and by fund.strike (its first strike, month ends, days with a subscription), has on
    every snapshot analytics.return_metrics' volatility, Sharpe ratio and max drawdown over its daily returns
    so far (1e-9 relative), the first none; striking a day again changes nothing; and a wrong accumulator
    shows (the comparison is not blind)."""
    rnd = random.Random(17)
    day = dt.datetime(2025, 1, 6, tzinfo=dt.UTC)
    with psycopg.connect(db_url, autocommit=True) as su:

        def acting(user, query, params=None):
            with su.transaction():
                su.execute('select api.act_as(%s)', [user])
                return su.execute(query, params).fetchall()

        ids = {}
        for name, role in (('h_m', 'fund_manager'), ('h_a', 'investor')):
            ids[name] = one(
                su,
                'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
                [f'{name}@funds.example', name, role],
            )
        su.execute("select api.set_kyc_status(%s, 'verified')", [ids['h_a']])
        live = acting(ids['h_a'], "select api.create_account('H live', 'live')")[0][0]
        acting(ids['h_a'], 'select api.deposit(%s, 100000)', [live])
        su.execute("select api.upsert_security('HIST', 'History', 'stock')")
        price = 100.0
        su.execute(
            'select api.record_price(%s, %s, %s)', ['HIST', Decimal(str(price)), day - dt.timedelta(hours=12)]
        )
        fund = acting(ids['h_m'], "select api.create_fund('History Fund', 'standard')")[0][0]
        acting(ids['h_a'], 'select api.subscribe(%s, %s, 50000)', [fund, live])

        quiet = 0
        for n in range(400):
            if n == 1:
                acting(ids['h_m'], "select api.fund_trade(%s, 'HIST', 'buy', 400)", [fund])
            if n > 0 and n % 97 == 0:
                acting(ids['h_a'], 'select api.subscribe(%s, %s, 1000)', [fund, live])
            move = rnd.choice([rnd.gauss(0.0005, 0.02), rnd.gauss(0.0005, 0.02), 0.0, -0.15, 0.12])
            price = round(max(price * (1 + move), 1.0), 4)
            su.execute(
                'select api.record_price(%s, %s, %s)',
                ['HIST', Decimal(str(price)), day + dt.timedelta(hours=12)],
            )
            end = day + dt.timedelta(days=1)
            # The job's two paths, told apart: what strike_quiet struck, then the job for the rest (other
            # tests' funds in this database are struck too, so the counts are this fund's).
            su.execute('select fund.strike_quiet(%s)', [end - dt.timedelta(microseconds=1)])
            struck = 'select last_strike_date is not distinct from %s from fund.funds where id = %s'
            quiet += one(su, struck, [day.date(), fund])
            su.execute('select ops.job_strike_funds(%s, %s)', [day, end])
            assert one(su, struck, [day.date(), fund])
            day = end
        assert quiet > 300 and 400 - quiet >= 13  # fund.strike: the first strike, month ends, subscriptions

        rows = su.execute(COMPARED, [fund]).fetchall()
        assert len(rows) == 400
        assert rows[0][1] is None and rows[0][2:5] == (None, None, None) and rows[0][8] == 0
        assert rows[-1][8] == 399
        assert mismatches(rows) == []
        assert min(r[4] for r in rows[1:]) < -0.1  # the history has real drawdowns
        assert all(r[2] is not None and r[3] is not None for r in rows[2:])

        # Striking the last day again changes nothing (the job and the manager alike).
        last = su.execute(LAST_SNAPSHOT, [fund]).fetchone()
        su.execute('select ops.job_strike_funds(%s, %s)', [day - dt.timedelta(days=1), day])
        acting(ids['h_m'], 'select api.strike_nav(%s, %s)', [fund, day - dt.timedelta(hours=1)])
        again = su.execute(LAST_SNAPSHOT, [fund]).fetchone()
        assert again == last
        assert one(su, 'select count(*) from fund.performance_snapshots where fund_id = %s', [fund]) == 400

        # The comparison has teeth: a wrong accumulator carried into the next strike shows.
        with su.transaction(force_rollback=True):
            su.execute(
                'update fund.performance_snapshots set return_sxx = return_sxx * 1.01,'
                ' log_peak = log_peak + 0.05 where fund_id = %s and snapshot_date = %s',
                [fund, (day - dt.timedelta(days=1)).date()],
            )
            su.execute(
                'select api.record_price(%s, %s, %s)',
                ['HIST', Decimal(str(price)), day + dt.timedelta(hours=12)],
            )
            su.execute('select fund.strike_quiet(%s)', [day + dt.timedelta(days=1, microseconds=-1)])
            assert one(su, 'select last_strike_date from fund.funds where id = %s', [fund]) == day.date()
            assert [r[0] for r in mismatches(su.execute(COMPARED, [fund]).fetchall())] == [day.date()]
        assert su.execute('select * from ops.verify_invariants()').fetchall() == []
