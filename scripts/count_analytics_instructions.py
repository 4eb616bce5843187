"""Instructions of api.refresh_analytics() against bench_analytics.py's GROUP BY, counted by callgrind.

bench_analytics.py's timings move by 10-30 % between rounds on a shared machine; instruction counts repeat,
so a change to the refresh (or a suspected regression) is weighed here (docs/analytics.md, "What a refresh
costs").
This starts a throwaway server, migrates a database, fills it with scripts/populate.py (ACCOUNTS accounts,
POSTINGS postings), stops the server, then runs `postgres --single` under callgrind on a copy with one dump a
statement (callgrind_statements.py): ROUNDS rounds, each bench_analytics' quote move (every quote by up to
+-1 %, so the refresh finds every row changed; the random numbers seeded), its GROUP BY, the refresh and a
vacuum of the two tables the round rewrote (so every round starts alike). The median of the last three
rounds of each is the figure. JIT and parallel workers are off (a single-user session starts no workers), so
these are one backend's instructions: the ratio is of work, not of time. --variant FILE runs that SQL first in
the same session (a candidate `create or replace`; see callgrind_statements.split_variant), --keep DIR keeps
the dumps (callgrind.<n>, statement order, the numbers printed) for callgrind_annotate. Needs valgrind.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_analytics  # sibling scripts, not a package
import callgrind_statements
from populate import populate

DBNAME = 'analytics_instructions'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--accounts', type=int, default=10_000)
    parser.add_argument('--postings', type=int, default=1_000_000)
    parser.add_argument('--rounds', type=int, default=5, help='quote move, GROUP BY, refresh: at least 3')
    parser.add_argument('--variant', type=Path, help='SQL run first in the counted session')
    parser.add_argument('--keep', type=Path, help='a folder to keep the callgrind dumps in')
    args = parser.parse_args(argv)
    callgrind_statements.require_valgrind()

    def fill(conn):
        print(f'populating {args.accounts:,} accounts and {args.postings:,} postings …', flush=True)
        counts = populate(conn, accounts=args.accounts, postings=args.postings)
        print(', '.join(f'{t} {n:,}' for t, n in counts.items()), flush=True)

    cluster = callgrind_statements.stopped_server(DBNAME, fill)
    try:
        statements = ['set jit = off', 'set max_parallel_workers_per_gather = 0', 'select setseed(0.5)']
        if args.variant:
            statements += callgrind_statements.split_variant(args.variant)
        first = len(statements)
        rounds = max(args.rounds, 3)
        for _ in range(rounds):
            statements += [
                bench_analytics.MOVE_QUOTES,
                bench_analytics.STATEMENTS['baseline'],
                bench_analytics.STATEMENTS['refresh'],
                'vacuum market.quotes, analytics.portfolio_summary',
            ]
        print('counting under callgrind …', flush=True)
        found = callgrind_statements.counts(cluster.datadir, DBNAME, statements, args.keep)
    finally:
        cluster.destroy()
    baselines = found[first + 1 :: 4]
    refreshes = found[first + 2 :: 4]
    b, r = callgrind_statements.settled(baselines), callgrind_statements.settled(refreshes)
    print(f'group by: {callgrind_statements.millions(baselines)}')
    print(f'refresh:  {callgrind_statements.millions(refreshes)}')
    if args.keep:
        print(
            f'dumps in {args.keep}: the refreshes callgrind.{first + 2} + 4k, '
            f'the GROUP BYs callgrind.{first + 1} + 4k'
        )
    print(
        f'\napi.refresh_analytics() at {args.accounts:,} accounts and {args.postings:,} postings counts '
        f'{r / 1e6:.1f}M instructions, the GROUP BY {b / 1e6:.1f}M: {r / b:.2f}x'
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
