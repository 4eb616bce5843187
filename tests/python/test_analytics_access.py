"""The analysts' schema (issue 15 §4, DESIGN §3/§4), proven through real logins:

- the analyst login (tb_test_analyst, a member of tradebase_analyst) reads every `analytics` relation, with
  rows from every user, and nothing in any other project schema (permission denied, relation by relation,
  read from the catalog so a new table is covered the day it exists);
- analytics.fund_performance, read as the analyst, holds a real fund's figures (three strikes, a fee paid,
  a request pending; computed by hand) under fund ids and types only: its columns are exactly the documented
  ones, none naming a manager, an investor or an account;
- the app login (tb_test_app) cannot read `analytics`; only operators refresh it (api.refresh_analytics:
  42501 for the app and the analyst);
- no personal or secret column anywhere in `analytics`: every column of every view and materialized view
  and every result column of every analytics function, by its name, and every view column traced through
  the views' dependencies (pg_depend of their rewrite rules, through views on views) to the table columns
  it reads: none may be an `auth` column that is personal (by name) or secret (commented `Secret:`).
  The walk is shown catching a view that reads an e-mail under an innocent name, and one named `email`.
"""

import datetime as dt
import math
import re
import statistics
from decimal import ROUND_HALF_UP, Decimal

import psycopg
import pytest
from psycopg import errors as pgerr
from psycopg import sql

PASSWORD = 'correct horse battery staple'

# Column names that hold personal data or secrets (issue 15 §4: e-mail, name, phone, tax id, token, key,
# password, IP / user agent, encrypted), matched on snake_case words.
PERSONAL = re.compile(
    r'(^|_)(e?mail|email|names?|first_name|last_name|full_name|username|login|phone|mobile|birth|'
    r'date_of_birth|tax|tax_id|ssn|token|tokens|key|keys|key_hash|api_key|password|passwd|secret|secrets|'
    r'mfa|otp|backup_codes?|ip|ip_address|inet|user_agent|encrypted|ciphertext|credentials?|address)($|_)'
)

RELATIONS = """
    select c.oid::regclass::text, c.relkind
    from pg_class as c
    where c.relnamespace = 'analytics'::regnamespace and c.relkind in ('v', 'm', 'r', 'p', 'f')
    order by 1
"""


def analytics_relations(conn) -> list[str]:
    return [name for name, _ in conn.execute(RELATIONS).fetchall()]


def test_the_analysts_views_exist(conn):
    kinds = dict(conn.execute(RELATIONS).fetchall())
    expected = {
        'analytics.portfolio_summary': 'm',
        'analytics.positions_valued': 'v',
        'analytics.top_holdings': 'v',
        'analytics.daily_equity': 'v',
        'analytics.trade_stats': 'v',
        'analytics.order_flow': 'v',
        'analytics.exposure': 'v',
        'analytics.fund_performance': 'v',
    }
    assert {k: kinds.get(k) for k in expected} == expected
    unique = conn.execute(
        """
        select count(*) from pg_index
        where indrelid = 'analytics.portfolio_summary'::regclass and indisunique and indpred is null
        """
    ).fetchone()[0]
    assert unique == 1, 'a concurrent refresh needs a unique index without a WHERE clause'


@pytest.fixture(scope='module')
def book(db_url):
    """Two users with a position each (through the api, as the superuser acting as each), refreshed."""
    with psycopg.connect(db_url, autocommit=True) as c:
        users = []
        for name in ('access_a', 'access_b'):
            c.execute(
                'insert into auth.users (email, username) values (%s, %s)', [f'{name}@example.com', name]
            )
            users.append(c.execute('select id from auth.users where username = %s', [name]).fetchone()[0])
        with c.transaction():
            c.execute("select api.upsert_security('ACCX', 'Access Inc', 'stock')")
            c.execute("select api.record_price('ACCX', 10)")
        for user in users:
            with c.transaction():
                c.execute('select api.act_as(%s)', [user])
                c.execute(
                    "select api.execute_paper_trade(a.id, 'ACCX', 'buy', 5) from trading.accounts as a "
                    'where a.user_id = %s and a.is_default',
                    [user],
                )
        c.execute('select api.snapshot_accounts(current_date)')
        c.execute('select api.refresh_analytics()')
        yield users
        assert c.execute('select * from ops.verify_invariants()').fetchall() == []


def test_the_analyst_reads_every_analytics_relation_across_users(analyst_conn, book):
    relations = analytics_relations(analyst_conn)
    assert len(relations) >= 7
    for rel in relations:
        analyst_conn.execute(sql.SQL('select * from {} limit 1').format(sql.SQL(rel)))
    for rel in (
        'analytics.portfolio_summary',
        'analytics.positions_valued',
        'analytics.daily_equity',
        'analytics.trade_stats',
        'analytics.top_holdings',
    ):
        seen = analyst_conn.execute(
            sql.SQL('select count(distinct user_id) from {} where user_id = any(%s)').format(sql.SQL(rel)),
            [book],
        ).fetchone()[0]
        assert seen == 2, f'the analyst sees {seen} of the two users in {rel}'
    exposure = analyst_conn.execute(
        "select users from analytics.exposure where asset_type = 'stock' and currency = 'USD'"
    ).fetchone()
    assert exposure is not None and exposure[0] >= 2


FUND_PERFORMANCE_COLUMNS = [
    'fund_id',
    'fund_type',
    'status',
    'risk_level',
    'inception_date',
    'last_strike_date',
    'nav',
    'nav_per_share',
    'shares_outstanding',
    'cumulative_return',
    'volatility',
    'sharpe_ratio',
    'max_drawdown',
    'strikes',
    'investors',
    'management_fees_paid',
    'performance_fees_paid',
    'accrued_management_fee',
    'pending_flows',
]


def to_8(x: Decimal) -> Decimal:
    return x.quantize(Decimal('1e-8'), rounding=ROUND_HALF_UP)


@pytest.fixture(scope='module')
def fund_book(db_url):
    """A mini fund (2 % management fee, ACT/365 on the NAV net of what has accrued; 20 % performance fee),
    set up as the owner acting as its manager and two investors, struck for three days long past (each request
    dated just after the fund's last strike: tests.replay_fund_requests):
    5 Jan: APF 100. A subscribes 1,000, B 2,000: dealt at 1.00, 3,000 shares. The manager buys 10 APF at 100
           (2,000 cash left).
    6 Jan: APF 128.50: 2,000 + 1,285 = 3,285; fee 3,285 x 2 % / 365 = 0.18; NAV 3,284.82 over 3,000 shares
           = 1.09494. B redeems 1,000 shares: 1,094.94, of which the performance fee (1.09494 - 1) x 1,000
           x 20 % = 18.988 goes to the manager (905.06 cash and 2,000 shares left).
    7 Jan: APF 120: 905.06 + 1,200 = 2,105.06 (the strike's figures in the test).
    Then A asks to subscribe 1,000 more: one request pending. Returns the fund's id."""
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute('select tests.replay_fund_requests()')
        ids = {}
        for name, role in (('fperf_m', 'fund_manager'), ('fperf_a', 'investor'), ('fperf_b', 'investor')):
            ids[name] = c.execute(
                'insert into auth.users (email, username, role) values (%s, %s, %s) returning id',
                [f'{name}@example.com', name, role],
            ).fetchone()[0]

        def acting(user, query, params=None):
            with c.transaction():
                c.execute('select api.act_as(%s)', [ids[user]])
                return c.execute(query, params).fetchone()

        for name in ('fperf_a', 'fperf_b'):
            c.execute("select api.set_kyc_status(%s, 'verified')", [ids[name]])
        c.execute("select api.upsert_security('APF', 'Analyst fund test', 'stock')")
        c.execute("select api.record_price('APF', 100, '2026-01-05 12:00+00')")
        fund = acting('fperf_m', "select api.create_fund('Analyst Fund', 'mini')")[0]
        live = {}
        for name, amount in (('fperf_a', 1000), ('fperf_b', 2000)):
            live[name] = acting(name, "select api.create_account('Fund perf live', 'live')")[0]
            acting(name, 'select api.deposit(%s, 5000)', [live[name]])
            acting(name, 'select api.subscribe(%s, %s, %s)', [fund, live[name], amount])
        acting('fperf_m', "select api.strike_nav(%s, '2026-01-05 18:00+00')", [fund])
        acting('fperf_m', "select api.fund_trade(%s, 'APF', 'buy', 10)", [fund])
        c.execute("select api.record_price('APF', 128.50, '2026-01-06 12:00+00')")
        acting('fperf_b', 'select api.redeem(%s, %s, 1000)', [fund, live['fperf_b']])
        acting('fperf_m', "select api.strike_nav(%s, '2026-01-06 18:00+00')", [fund])
        c.execute("select api.record_price('APF', 120, '2026-01-07 12:00+00')")
        acting('fperf_m', "select api.strike_nav(%s, '2026-01-07 18:00+00')", [fund])
        acting('fperf_a', 'select api.subscribe(%s, %s, 1000)', [fund, live['fperf_a']])
        c.execute('select tests.replay_fund_requests(false)')
        yield fund
        assert c.execute('select * from ops.verify_invariants()').fetchall() == []


def test_the_analyst_reads_fund_performance(analyst_conn, fund_book):
    """The analyst, who neither manages nor holds the fund, reads its row of analytics.fund_performance.
    7 Jan by hand: fee (2,105.06 - 0.18) x 2 % / 365 = 0.11533589 (to 8 decimals), accrued 0.29533589;
    NAV 2,105.06 - 0.29533589 = 2,104.76466411 over 2,000 shares = 1.0523823321 (to 10 decimals). The
    daily returns 0.09494 and 1.0523823321 / 1.09494 - 1: volatility and Sharpe ratio over 252 days from
    their sample deviation, the max drawdown the fall of the second day."""
    fee = to_8((Decimal('2105.06') - Decimal('0.18')) * Decimal('0.02') / 365)
    assert fee == Decimal('0.11533589')
    nav = Decimal('2105.06') - Decimal('0.18') - fee
    nps = (nav / 2000).quantize(Decimal('1e-10'), rounding=ROUND_HALF_UP)
    assert (nav, nps) == (Decimal('2104.76466411'), Decimal('1.0523823321'))
    returns = [0.09494, float(nps / Decimal('1.09494') - 1)]
    std = statistics.stdev(returns)
    cur = analyst_conn.execute('select * from analytics.fund_performance where fund_id = %s', [fund_book])
    assert [d.name for d in cur.description] == FUND_PERFORMANCE_COLUMNS
    rows = cur.fetchall()
    assert len(rows) == 1, rows
    row = dict(zip(FUND_PERFORMANCE_COLUMNS, rows[0], strict=True))
    ratios = {k: row.pop(k) for k in ('cumulative_return', 'volatility', 'sharpe_ratio', 'max_drawdown')}
    # Opened today (the day the fixture ran), after the days it was struck for.
    assert row.pop('inception_date') == analyst_conn.execute('select current_date').fetchone()[0]
    assert row == {
        'fund_id': fund_book,
        'fund_type': 'mini',
        'status': 'active',
        'risk_level': 'medium',
        'last_strike_date': dt.date(2026, 1, 7),
        'nav': nav,
        'nav_per_share': nps,
        'shares_outstanding': 2000,
        'strikes': 3,
        'investors': 2,
        'management_fees_paid': 0,
        'performance_fees_paid': Decimal('18.988'),
        'accrued_management_fee': Decimal('0.18') + fee,
        'pending_flows': 1,
    }
    assert ratios == {
        'cumulative_return': pytest.approx(float(nps - 1), rel=1e-12),
        'volatility': pytest.approx(std * math.sqrt(252), rel=1e-9),
        'sharpe_ratio': pytest.approx(statistics.mean(returns) / std * math.sqrt(252), rel=1e-9),
        'max_drawdown': pytest.approx(returns[1], rel=1e-9),
    }
    # Every fund, whoever manages it: the analyst reads the view with the owner's rights, not through RLS.
    assert analyst_conn.execute('select count(*) from analytics.fund_performance').fetchone()[0] == 1


def test_fund_performance_shows_no_personal_data(conn):
    """Its columns by name, and every table column it reads (through pg_depend), none personal or secret."""
    columns = [
        name
        for (name,) in conn.execute(
            'select attname from pg_attribute'
            ' where attrelid = %s::regclass and attnum > 0 and not attisdropped order by attnum',
            ['analytics.fund_performance'],
        ).fetchall()
    ]
    assert columns == FUND_PERFORMANCE_COLUMNS
    assert [c for c in columns if PERSONAL.search(c)] == []
    read = traced_columns(conn, 'analytics.fund_performance')
    assert ('fund.funds', 'id') in read and ('fund.performance_snapshots', 'nav') in read
    assert not any(table.startswith('auth.') for table, _ in read), sorted(read)
    assert not any(col in ('manager_id', 'user_id', 'account_id', 'name') for _, col in read), sorted(read)


def test_the_analyst_reads_nothing_outside_analytics(conn, analyst_conn):
    rows = conn.execute(
        """
        select c.oid::regclass::text
        from pg_class as c
        inner join pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = any(ops.project_schemas()) and n.nspname <> 'analytics'
          and c.relkind in ('r', 'p', 'v', 'm', 'f')
        order by 1
        """
    ).fetchall()
    schemas = {name.split('.')[0] for (name,) in rows}
    assert {'auth', 'trading', 'api', 'audit'} <= schemas
    for (rel,) in rows:
        with pytest.raises(pgerr.InsufficientPrivilege), analyst_conn.transaction():
            analyst_conn.execute(sql.SQL('select 1 from {} limit 1').format(sql.SQL(rel)))


def test_the_app_cannot_read_analytics(app_conn):
    for rel in analytics_relations(app_conn):
        with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
            app_conn.execute(sql.SQL('select 1 from {} limit 1').format(sql.SQL(rel)))


def test_only_operators_refresh(db_url, app_conn, analyst_conn):
    from conftest import role_url

    for c in (app_conn, analyst_conn):
        with pytest.raises(pgerr.InsufficientPrivilege), c.transaction():
            c.execute('select api.refresh_analytics()')
    # An app login that acts as a user is still not an operator.
    with app_conn.transaction(force_rollback=True):
        app_conn.execute("select api.register_user('refresh@example.com', 'refresh_user', %s)", [PASSWORD])
        token = app_conn.execute("select api.login('refresh_user', %s)", [PASSWORD]).fetchone()[0]
        app_conn.execute('select api.authenticate(%s)', [token])
        with pytest.raises(pgerr.InsufficientPrivilege), app_conn.transaction():
            app_conn.execute('select api.refresh_analytics()')
    with psycopg.connect(role_url(db_url, 'tb_test_admin'), autocommit=True) as admin:
        admin.execute('select api.refresh_analytics()')
        admin.execute('select api.refresh_analytics()')


# --- the personal-data walk ----------------------------------------------------------------------


def personal_auth_columns(conn) -> set[tuple[str, str]]:
    """(table, column) of every auth column that is personal by its name or secret by its comment."""
    rows = conn.execute(
        """
        select c.oid::regclass::text, a.attname, coalesce(col_description(c.oid, a.attnum), '')
        from pg_attribute as a
        inner join pg_class as c on a.attrelid = c.oid
        where c.relnamespace = 'auth'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
          and a.attnum > 0 and not a.attisdropped
        """
    ).fetchall()
    return {(rel, col) for rel, col, comment in rows if PERSONAL.search(col) or comment.startswith('Secret:')}


def traced_columns(conn, relation: str) -> set[tuple[str, str]]:
    """Every table column the view or materialized view RELATION reads, through views on views:
    pg_depend records each column a view's rewrite rule references."""
    rows = conn.execute(
        """
        with recursive reads (relid, attnum) as (
            select d.refobjid, d.refobjsubid
            from pg_depend as d
            inner join pg_rewrite as r on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
            where r.ev_class = %(rel)s::regclass and d.refclassid = 'pg_class'::regclass
              and d.refobjid <> %(rel)s::regclass
            union
            select d.refobjid, d.refobjsubid
            from reads as x
            inner join pg_class as v on x.relid = v.oid and v.relkind in ('v', 'm')
            inner join pg_rewrite as r on r.ev_class = v.oid
            inner join pg_depend as d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
            where d.refclassid = 'pg_class'::regclass and d.refobjid <> v.oid
        )
        select c.oid::regclass::text, a.attname
        from reads as x
        inner join pg_class as c on x.relid = c.oid
        inner join pg_attribute as a on a.attrelid = c.oid and a.attnum = x.attnum
        where x.attnum > 0
        """,
        {'rel': relation},
    ).fetchall()
    return set(rows)


def function_result_columns(conn) -> dict[str, list[str]]:
    """Every analytics function's result columns: OUT/TABLE parameters, or its composite type's fields."""
    rows = conn.execute(
        """
        select p.oid::regprocedure::text,
               coalesce(
                   (select array_agg(n order by i) from unnest(p.proargnames, p.proargmodes::text[])
                        with ordinality as u (n, m, i) where m in ('o', 't', 'b')),
                   (select array_agg(a.attname::text order by a.attnum) from pg_type as t
                        inner join pg_attribute as a on a.attrelid = t.typrelid
                        where t.oid = p.prorettype and a.attnum > 0 and not a.attisdropped),
                   array[p.proname::text]
               )
        from pg_proc as p
        where p.pronamespace = 'analytics'::regnamespace
        """
    ).fetchall()
    return dict(rows)


def leaks(conn) -> list[str]:
    """Every personal or secret column the analytics schema shows or reads, as 'relation.column: why'."""
    found = []
    personal = personal_auth_columns(conn)
    for rel, kind in conn.execute(RELATIONS).fetchall():
        columns = conn.execute(
            'select attname from pg_attribute '
            'where attrelid = %s::regclass and attnum > 0 and not attisdropped',
            [rel],
        ).fetchall()
        found += [f'{rel}.{col}: its name' for (col,) in columns if PERSONAL.search(col)]
        if kind in ('v', 'm'):
            found += [f'{rel} reads {t}.{c}' for t, c in sorted(traced_columns(conn, rel) & personal)]
    for fn, columns in function_result_columns(conn).items():
        found += [f'{fn} returns {col}: its name' for col in columns if col and PERSONAL.search(col)]
    # PL/pgSQL bodies record no dependencies: a function naming a personal auth column reads it.
    for fn, src in conn.execute(
        "select oid::regprocedure::text, prosrc from pg_proc where pronamespace = 'analytics'::regnamespace"
    ).fetchall():
        for table, col in personal:
            if table in src and re.search(rf'\b{re.escape(col)}\b', src):
                found.append(f'{fn} names {table}.{col}')
    return found


def test_personal_columns_are_known(conn):
    personal = personal_auth_columns(conn)
    for column in ('email', 'username', 'first_name', 'last_name', 'phone', 'date_of_birth'):
        assert ('auth.users', column) in personal
    assert any(t == 'auth.user_security' for t, _ in personal), 'the Secret: columns count'


def test_no_personal_or_secret_column_in_analytics(conn):
    assert leaks(conn) == []


def test_the_walk_traces_views_by_name_and_by_dependency(conn):
    """The walk catches what it must: an e-mail under an innocent name through a view on a view, a column
    named like a token, and a function returning a name."""
    with conn.transaction(force_rollback=True):
        conn.execute(
            'create view analytics.lint_contacts as select u.id, u.email as contact from auth.users as u'
        )
        conn.execute(
            'create view analytics.lint_reach as '
            'select c.contact as channel from analytics.lint_contacts as c'
        )
        conn.execute(
            'create materialized view analytics.lint_tokens as '
            'select a.id as session_token from trading.accounts as a with no data'
        )
        conn.execute(
            'create function analytics.lint_people() returns table (account_id uuid, last_name text) '
            "language sql as 'select null::uuid, null::text'"
        )
        found = leaks(conn)
    assert 'analytics.lint_contacts reads auth.users.email' in found
    assert 'analytics.lint_reach reads auth.users.email' in found
    assert 'analytics.lint_tokens.session_token: its name' in found
    assert 'analytics.lint_people() returns last_name: its name' in found
    assert len(found) == 4, found
