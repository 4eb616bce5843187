"""A synthetic book for benchmarks: users, accounts, securities with quotes, positions and postings, written
set-based (one INSERT … SELECT per table) into a migrated tradebase database.

    python scripts/populate.py [--accounts 10000] [--postings 1000000] [--positions 5] [--securities 100]

Without a URL (--url, or DATABASE_URL) it starts a throwaway fast server, fills a scratch database,
reports the row counts and removes the server (useful to time the population itself); benchmarks import
`populate` and call it on their own database (scripts/bench_analytics.py).

It writes as the superuser with `session_replication_role = replica`, so no trigger runs: no default
paper account per user, no audit rows, no journal-balance check. What it writes still satisfies the
tables' CHECK constraints and the ledger's shape: every journal balances (one user posting against a
system account), each user posting carries the running balance_after, which never goes below zero,
each account's cash is its last balance_after and its external_flow the sum of its flow postings.
Positions have no lots behind them (nothing here reads lots); ops.verify_invariants() is therefore not
expected to pass on this book.
"""

import argparse
import sys
import time
import uuid

import psycopg
from psycopg import sql

from tradebase import config, db, migrate
from tradebase.cluster import Cluster

# Kinds of the user postings after each account's initial balance: external flows, fills and the rest.
KINDS = ('deposit', 'withdrawal', 'trade', 'trade', 'trade', 'fee', 'dividend', 'transfer')


def populate(
    conn: psycopg.Connection,
    *,
    accounts: int = 10_000,
    postings: int = 1_000_000,
    positions: int = 5,
    securities: int = 100,
    days: int = 90,
    seed: float = 0.15,
) -> dict[str, int]:
    """Fill the database of CONN (a superuser, autocommit) and return the row count of each table written.
    ACCOUNTS user accounts (two per user: paper and live), POSTINGS postings in all (half on user
    accounts, half on the system account opposite), POSITIONS open positions per account over SECURITIES
    securities (one in ten priced in EUR), posted over the last DAYS days."""
    journals = postings // 2
    per_account = max(journals // accounts, 1)
    for purpose in ('external_cash', 'market_clearing'):
        conn.execute("select trading.system_account(%s, 'USD')", [purpose])
    conn.execute('set session_replication_role = replica')
    conn.execute('select setseed(%s)', [seed])
    with conn.transaction():
        conn.execute(
            """
            insert into auth.users (id, email, username)
            select gen_random_uuid(), 'bench' || i || '@example.com', 'bench_' || i
            from generate_series(1, %(users)s) as i
            """,
            {'users': (accounts + 1) // 2},
        )
        conn.execute(
            """
            insert into trading.accounts
                (id, user_id, name, kind, base_currency, initial_balance, cash, is_default)
            select gen_random_uuid(), u.id, k.kind || ' ' || u.n, k.kind, 'USD', 100000, 0, k.kind = 'paper'
            from (
                select id, row_number() over (order by id) as n from auth.users
                where username like 'bench\\_%%'
            ) as u
            cross join (values ('paper'), ('live')) as k (kind)
            order by u.n, k.kind desc
            limit %(accounts)s
            """,
            {'accounts': accounts},
        )
        conn.execute(
            """
            insert into market.securities (symbol, name, asset_type, currency)
            select 'BX' || i, 'Bench security ' || i,
                   (array['stock', 'etf', 'bond', 'crypto', 'mutual_fund'])[1 + i %% 5],
                   case when i %% 10 = 0 then 'EUR' else 'USD' end
            from generate_series(1, %(securities)s) as i
            """,
            {'securities': securities},
        )
        conn.execute(
            """
            insert into market.quotes (security_id, price, quoted_at)
            select id, round((5 + random() * 495)::numeric, 2), now()
            from market.securities where symbol like 'BX%%'
            """
        )
        conn.execute(
            """
            insert into market.fx_rates (base_currency, quote_currency, as_of, rate)
            values ('EUR', 'USD', now() - interval '1 day', 1.08)
            on conflict do nothing
            """
        )
        conn.execute(
            """
            insert into trading.positions (account_id, security_id, quantity, cost_basis, realized_pnl)
            select a.id, s.id, q.quantity, round(q.quantity * q.price * (0.8 + random() * 0.4)::numeric, 8),
                   round(((random() - 0.5) * 200)::numeric, 8)
            from (
                select id, row_number() over (order by id) as n from trading.accounts where kind <> 'system'
            ) as a
            cross join generate_series(0, %(positions)s - 1) as p (k)
            inner join (select id, row_number() over (order by symbol) - 1 as m from market.securities
                        where symbol like 'BX%%') as s on s.m = (a.n * 7 + p.k * 13) %% %(securities)s
            inner join market.quotes as x on x.security_id = s.id
            cross join lateral (select (1 + floor(random() * 100))::numeric as quantity, x.price) as q
            """,
            {'positions': positions, 'securities': securities},
        )
        # The user side of every journal: an initial balance, then PER_ACCOUNT - 1 movements each.
        conn.execute(
            """
            create temporary table bench_postings on commit drop as
            select a.id as account_id, j.k,
                   case when j.k = 0 then 'initial_balance'
                        else (%(kinds)s::text[])[1 + floor(random() * cardinality(%(kinds)s::text[]))::int]
                   end as kind,
                   now() - %(days)s * interval '1 day'
                       + (j.k::double precision / %(per)s) * %(days)s * interval '1 day' as posted_at
            from trading.accounts as a
            cross join generate_series(0, %(per)s - 1) as j (k)
            where a.kind <> 'system'
            """,
            {'kinds': list(KINDS), 'days': days, 'per': per_account},
        )
        conn.execute(
            """
            alter table bench_postings add column amount numeric;
            update bench_postings set amount = case
                when kind = 'initial_balance' then 100000
                when kind in ('deposit', 'dividend') then round((1 + random() * 199)::numeric, 2)
                when kind in ('withdrawal', 'fee') then -round((1 + random() * 99)::numeric, 2)
                else round(((random() - 0.5) * 200)::numeric, 2) end;
            update bench_postings set amount = 0.01 where amount = 0;
            """
        )
        conn.execute(
            """
            with numbered as (
                select b.*, row_number() over (order by b.account_id, b.k) as journal_id,
                       sum(b.amount) over (partition by b.account_id order by b.k) as balance_after
                from bench_postings as b
            ),
            external as (select trading.system_account('external_cash', 'USD') as id),
            clearing as (select trading.system_account('market_clearing', 'USD') as id)
            insert into trading.transactions
                (journal_id, account_id, currency, amount, balance_after, kind, posted_at)
            select n.journal_id + 1000000000, n.account_id, 'USD', n.amount, n.balance_after, n.kind,
                   n.posted_at
            from numbered as n
            union all
            select n.journal_id + 1000000000,
                   case when n.kind in ('trade', 'fee', 'dividend') then (select id from clearing)
                        else (select id from external) end,
                   'USD', -n.amount, null, n.kind, n.posted_at
            from numbered as n
            """
        )
        conn.execute(
            """
            update trading.accounts as a set cash = l.balance_after
            from (select distinct on (account_id) account_id, balance_after from trading.transactions
                  where balance_after is not null order by account_id, posted_at desc, id desc) as l
            where a.id = l.account_id
            """
        )
        # The running total trading.post_journal keeps for the flows written here without it.
        conn.execute(
            """
            update trading.accounts as a set external_flow = f.amount
            from (select account_id, sum(amount) as amount from trading.transactions
                  where trading.is_external_flow(kind) group by account_id) as f
            where a.id = f.account_id and a.kind <> 'system'
            """
        )
    conn.execute('reset session_replication_role')
    conn.execute('vacuum analyze')
    tables = (
        'auth.users',
        'trading.accounts',
        'market.securities',
        'trading.positions',
        'trading.transactions',
    )
    return {
        table: conn.execute(sql.SQL('select count(*) from {}').format(sql.SQL(table))).fetchone()[0]
        for table in tables
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--url', help='a migrated database (superuser); default: a throwaway server')
    parser.add_argument('--accounts', type=int, default=10_000)
    parser.add_argument('--postings', type=int, default=1_000_000)
    parser.add_argument('--positions', type=int, default=5, help='open positions per account')
    parser.add_argument('--securities', type=int, default=100)
    args = parser.parse_args(argv)
    sizes = {'accounts': args.accounts, 'postings': args.postings, 'positions': args.positions}
    sizes['securities'] = args.securities

    if args.url or config.database_url():
        with psycopg.connect(args.url or config.database_url(), autocommit=True) as conn:
            started = time.perf_counter()
            counts = populate(conn, **sizes)
    else:
        cluster = Cluster.temporary(fast=True)
        cluster.start()
        try:
            url = db.create_database(cluster.url('postgres'), f'populate_{uuid.uuid4().hex[:8]}')
            migrate.migrate(url, echo=lambda *_: None)
            with psycopg.connect(url, autocommit=True) as conn:
                started = time.perf_counter()
                counts = populate(conn, **sizes)
        finally:
            cluster.destroy()
    print(
        f'populated in {time.perf_counter() - started:.1f} s: '
        + ', '.join(f'{t} {n:,}' for t, n in counts.items())
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
