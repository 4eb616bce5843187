"""Cost of account performance and of the risk_metrics job (issue 15 §3, docs/analytics.md "Account
performance"): a scratch database (scripts/scratch.py), ACCOUNTS users (each with its default paper
account) and DAYS daily snapshots per account (a random walk, no flows), a default benchmark with
DAYS + 1 daily bars; then times
risk.record_metrics (the job's statement over every account), analytics.account_performance of one
account, and the analysts' view over all of them. Each figure is the median of ROUNDS runs.

    .venv/bin/python scripts/bench_account_performance.py [ACCOUNTS] [DAYS] [ROUNDS]
"""

import statistics
import sys
import time

from psycopg import sql

import scratch  # a sibling script: the scratch database
from tradebase import db


def timed(conn, query, rounds: int) -> float:
    runs = []
    for _ in range(rounds):
        with conn.transaction(force_rollback=True):
            start = time.perf_counter()
            conn.execute(query).fetchall()
            runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main(accounts: int = 1000, days: int = 252, rounds: int = 3) -> None:
    with scratch.migrated_database('bench_account_performance') as url:
        with db.connection(url, autocommit=True) as conn:
            print(f'populating {accounts} accounts x {days} days ...', flush=True)
            conn.execute(
                'insert into auth.users (email, username) '
                "select 'b' || g || '@bench.example', 'bench_' || g from generate_series(1, %s) as g",
                [accounts],
            )
            conn.execute("select api.upsert_security('BENCHIDX', 'Bench index', 'etf')")
            conn.execute(
                'insert into market.market_data (security_id, timeframe, ts, open, high, low, close) '
                "select s.id, '1d', (current_date - g)::timestamp at time zone 'UTC', c, c, c, c "
                'from market.securities as s, generate_series(0, %s) as g, '
                'lateral (select round((100 * exp(0.01 * sin(g) + 0.001 * g))::numeric, 4) as c) as p '
                "where s.symbol = 'BENCHIDX'",
                [days],
            )
            conn.execute(
                'insert into market.benchmarks (symbol, name, security_id, is_default) '
                "select 'BENCHIDX', 'Bench index', id, true from market.securities where symbol = 'BENCHIDX'"
            )
            conn.execute(
                "update trading.accounts set created_at = created_at - %s * interval '1 day'", [days]
            )
            conn.execute(
                'insert into trading.account_snapshots '
                '(account_id, snapshot_date, cash, positions_value, equity) '
                'select a.id, current_date - g, e, 0, e '
                'from trading.accounts as a, generate_series(0, %s - 1) as g, '
                'lateral (select round((100000 * (1 + 0.02 * random()))::numeric, 2) as e) as x '
                "where a.kind <> 'system'",
                [days],
            )
            conn.execute('analyze')
            one = conn.execute("select id from trading.accounts where kind <> 'system' limit 1").fetchone()[0]
            job = timed(conn, 'select risk.record_metrics(current_date)', rounds)
            single = timed(
                conn, sql.SQL('select * from analytics.account_performance({})').format(one), rounds
            )
            view = timed(conn, 'select * from analytics.account_performance', rounds)
            written = conn.execute('select risk.record_metrics(current_date)').fetchone()[0]
        print(f'risk.record_metrics over {written} accounts x {days} days: {job:.0f} ms')
        print(f'analytics.account_performance of one account ({days} days): {single:.1f} ms')
        print(f'analytics.account_performance view over {accounts} accounts: {view:.0f} ms')


if __name__ == '__main__':
    main(*(int(a) for a in sys.argv[1:4]))
