"""make bench: api.refresh_analytics() against a plain GROUP BY over the same postings.

Issue 15 §4 holds the refresh of the analysts' materialized views, at 10,000 accounts and 1,000,000
postings, to at most LIMIT (2) times a plain `GROUP BY` over the same postings. This starts a throwaway
fast server (or uses DATABASE_URL, a superuser), migrates a scratch database, fills it with
scripts/populate.py (ACCOUNTS accounts, POSTINGS postings, 5 open positions per account over 100
securities), and then times ROUNDS rounds, each:

- every quote moved by up to ±1 % (not timed), so the refresh finds every summary row with positions
  changed, as the daily job does after a trading day;
- `baseline`: select account_id, sum(amount) from trading.transactions group by account_id;
- `refresh`:  select api.refresh_analytics() (as the superuser: an operator);

the two in turn, the first one alternating between rounds, each statement's time the median of REPS runs.
It prints every round, then the median ratio refresh / baseline over the rounds, and exits 1 when that is
above LIMIT (`--report-only`: exit 0 all the same). Timings move between runs; the ratio is the figure.
"""

import argparse
import statistics
import sys
import time

import psycopg

import scratch  # a sibling script: the scratch database
from populate import populate

LIMIT = 2.0
STATEMENTS = {
    'baseline': 'select account_id, sum(amount) from trading.transactions group by account_id',
    'refresh': 'select api.refresh_analytics()',
}
MOVE_QUOTES = 'update market.quotes set price = round(price * (0.99 + random() * 0.02)::numeric, 8)'


def timed(conn: psycopg.Connection, sql: str) -> float:
    start = time.perf_counter()
    conn.execute(sql).fetchall()
    return (time.perf_counter() - start) * 1000


def measure(url: str, rounds: int, reps: int) -> list[dict[str, float]]:
    """Per round, the median milliseconds of each statement (quotes moved before each refresh)."""
    results = []
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in STATEMENTS.values():  # warm up: caches, plans
            timed(conn, sql)
        names = list(STATEMENTS)
        for i in range(rounds):
            ms: dict[str, list[float]] = {name: [] for name in names}
            for _ in range(reps):
                for name in names if i % 2 == 0 else reversed(names):
                    if name == 'refresh':
                        conn.execute(MOVE_QUOTES)
                    ms[name].append(timed(conn, STATEMENTS[name]))
            results.append({name: statistics.median(v) for name, v in ms.items()})
            r = results[-1]
            print(
                f'round {i + 1}: baseline {r["baseline"]:.1f} ms, refresh {r["refresh"]:.1f} ms '
                f'({r["refresh"] / r["baseline"]:.2f}x)',
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--accounts', type=int, default=10_000)
    parser.add_argument('--postings', type=int, default=1_000_000)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--reps', type=int, default=3, help='runs of each statement per round')
    parser.add_argument('--report-only', action='store_true', help='print the verdict but exit 0 above LIMIT')
    args = parser.parse_args(argv)

    with scratch.migrated_database('bench_analytics') as url:
        print(f'populating {args.accounts:,} accounts and {args.postings:,} postings …', flush=True)
        with psycopg.connect(url, autocommit=True) as conn:
            counts = populate(conn, accounts=args.accounts, postings=args.postings)
        print(', '.join(f'{t} {n:,}' for t, n in counts.items()), flush=True)
        results = measure(url, max(args.rounds, 1), max(args.reps, 1))
    ratio = statistics.median(r['refresh'] / r['baseline'] for r in results)
    met = ratio <= LIMIT
    print(
        f'\nmedian ratio of api.refresh_analytics() to a GROUP BY over '
        f'{counts["trading.transactions"]:,} postings: {ratio:.2f}x '
        f'(limit {LIMIT:.0f}x: {"met" if met else "missed"})'
    )
    return 0 if met or args.report_only else 1


if __name__ == '__main__':
    sys.exit(main())
