"""make bench: analytics.return_metrics over 10,000 returns against one avg/stddev pass over the same array.

Issue 15 §1 holds the metrics to at most LIMIT (5) times one `avg`/`stddev` pass over the same array. This
starts a throwaway server (or uses DATABASE_URL, a superuser), migrates a scratch database, stores a seeded
series of N returns and a benchmark series in a one-row table, and times, from one connection with prepared
statements, ROUNDS rounds of REPS calls of each statement in turn (the order rotates each round, so a busy
moment of the machine moves one round, not the result):

- `noop`:      select 1 (the round trip, subtracted from the others);
- `baseline`:  select avg(r), stddev(r) from unnest(returns) as r;
- `metrics`:   analytics.return_metrics(returns);
- `benchmark`: analytics.return_metrics(returns, benchmark).

Each round takes the fastest call of each statement (the cost when nothing else holds the CPU) less the
round trip's, and the ratios to that round's baseline; it prints every round, then the median ratios over
the rounds, and exits 1 when the median ratio of `metrics` is above LIMIT (`benchmark` is reported, not held
to it). Timings move between runs; the ratio is the figure.
"""

import argparse
import random
import statistics
import sys
import time

import psycopg

import scratch  # a sibling script: the scratch database

LIMIT = 5.0
STATEMENTS = {
    'noop': 'select 1',
    'baseline': 'select avg(r), stddev(r) from bench_series as s, unnest(s.returns) as r',
    'metrics': 'select m.* from bench_series as s, analytics.return_metrics(s.returns) as m',
    'benchmark': 'select m.* from bench_series as s, analytics.return_metrics(s.returns, s.benchmark) as m',
}


def series(n: int, seed: int) -> tuple[list[float], list[float]]:
    """N daily returns (mean 0.05 %, sd 1 %) and a benchmark correlated with them, from SEED."""
    rng = random.Random(seed)
    benchmark = [rng.gauss(0.0004, 0.009) for _ in range(n)]
    returns = [0.0001 + 0.8 * b + rng.gauss(0, 0.006) for b in benchmark]
    return returns, benchmark


def timed(conn: psycopg.Connection, sql: str, reps: int) -> float:
    """The fastest of REPS executions of SQL, in milliseconds: what the statement costs when nothing else
    holds the CPU (on a shared machine a median moves with the other processes' load, and the longer
    statement is the one more often interrupted)."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        conn.execute(sql, prepare=True).fetchall()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def measure(url: str, n: int, rounds: int, reps: int, seed: int) -> list[dict[str, float]]:
    """Per round, each statement's fastest call in milliseconds, less the round trip's."""
    returns, benchmark = series(n, seed)
    results = []
    with psycopg.connect(url, autocommit=True) as conn:
        # JIT off: the server's default cost threshold could compile one statement and not another.
        conn.execute('set jit = off')
        conn.execute('create table bench_series (returns double precision[], benchmark double precision[])')
        conn.execute('insert into bench_series values (%s, %s)', [returns, benchmark])
        for sql in STATEMENTS.values():  # warm up: plans, caches, the array detoasted once
            timed(conn, sql, 5)
        names = list(STATEMENTS)
        for i in range(rounds):
            order = names[i % len(names) :] + names[: i % len(names)]
            ms = {name: timed(conn, STATEMENTS[name], reps) for name in order}
            results.append({name: ms[name] - ms['noop'] for name in names if name != 'noop'})
            print(f'round {i + 1}: ' + report_line(results[-1]), flush=True)
    return results


def report_line(ms: dict[str, float]) -> str:
    base = ms['baseline']
    return f'baseline {base:.3f} ms, ' + ', '.join(
        f'{name} {ms[name]:.3f} ms ({ms[name] / base:.2f}x)' for name in ms if name != 'baseline'
    )


def median_ratio(results: list[dict[str, float]], name: str) -> float:
    """The median over rounds of NAME's ratio to its round's baseline."""
    return statistics.median(r[name] / r['baseline'] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, default=10_000, help='returns in the series')
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--reps', type=int, default=30, help='calls of each statement per round')
    parser.add_argument('--seed', type=int, default=15)
    parser.add_argument('--report-only', action='store_true', help='print the verdict but exit 0 above LIMIT')
    args = parser.parse_args(argv)

    with scratch.migrated_database('bench_metrics') as url:
        print(f'{args.n} returns, {args.rounds} rounds of {args.reps} calls per statement', flush=True)
        results = measure(url, args.n, max(args.rounds, 1), max(args.reps, 1), args.seed)
    metrics, with_benchmark = median_ratio(results, 'metrics'), median_ratio(results, 'benchmark')
    met = metrics <= LIMIT
    print(
        f'\nmedian ratio to one avg/stddev pass over {args.n} returns: return_metrics {metrics:.2f}x '
        f'(limit {LIMIT:.0f}x: {"met" if met else "missed"}), with a benchmark {with_benchmark:.2f}x'
    )
    return 0 if met or args.report_only else 1


if __name__ == '__main__':
    sys.exit(main())
