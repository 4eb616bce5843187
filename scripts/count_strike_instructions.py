"""Instructions of the strike of 1,000 funds against the SELECT valuing them, counted by valgrind's callgrind.

bench_funds.py's timings move by 10-30 % between rounds on a shared machine; instruction counts repeat, so a
change to the strike is weighed here first (docs/funds.md, "Demo and benchmark"). This starts a throwaway
server, migrates a database, builds bench_funds' scratch funds (FUNDS x POSITIONS, HISTORY days), stops the
server, then runs `postgres --single` under callgrind on a copy with a dump after every statement: ROUNDS
calls of the prepared SELECT, then ROUNDS strikes (`ops.job_strike_funds`, or --strike's statement), each
inside `begin ... rollback`. The median of the last three of each is the figure (the first calls plan;
PL/pgSQL settles on its generic plans from the sixth). --variant FILE runs that SQL first in the same
session (a `create or replace` of a candidate or of an ablation; each statement ends with a semicolon and a
blank line, as `postgres --single -j` reads them, so no body may have a blank line right after a
semicolon), so a change is counted before it is written. Needs valgrind.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_funds  # sibling scripts, not a package
import callgrind_statements

DBNAME = 'strike_instructions'
JOB = "select ops.job_strike_funds('{start}', '{end}')"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--funds', type=int, default=1000)
    parser.add_argument('--positions', type=int, default=20)
    parser.add_argument('--history', type=int, default=250)
    parser.add_argument('--rounds', type=int, default=8, help='calls of each (at least 3)')
    parser.add_argument('--strike', help='the statement counted instead of the strike_funds job')
    parser.add_argument('--variant', type=Path, help='SQL run first in the counted session')
    args = parser.parse_args(argv)
    callgrind_statements.require_valgrind()

    def fill(conn):
        print(f'building {args.funds} funds x {args.positions} positions, {args.history} days …', flush=True)
        bench_funds.build(conn, args.funds, args.positions, args.history)

    cluster = callgrind_statements.stopped_server(DBNAME, fill)
    try:
        select = bench_funds.SELECT.replace('%(as_of)s', '$1').strip()
        strike = args.strike or JOB.format(start=bench_funds.PERIOD[0], end=bench_funds.PERIOD[1])
        statements = ['set jit = off', f'prepare valuation (timestamptz) as {select}']
        if args.variant:
            statements += callgrind_statements.split_variant(args.variant)
        first = len(statements)
        rounds = max(args.rounds, 3)
        statements += [f"execute valuation ('{bench_funds.AS_OF}')"] * rounds
        for _ in range(rounds):
            statements += ['begin', strike, 'rollback']
        print('counting under callgrind …', flush=True)
        found = callgrind_statements.counts(cluster.datadir, DBNAME, statements)
    finally:
        cluster.destroy()
    selects = found[first : first + rounds]
    strikes = found[first + rounds + 1 :: 3]
    s, k = callgrind_statements.settled(selects), callgrind_statements.settled(strikes)
    print(f'select: {callgrind_statements.millions(selects)}')
    print(f'strike: {callgrind_statements.millions(strikes)}')
    print(
        f'\nthe strike of {args.funds} funds counts {k / 1e6:.1f}M instructions, '
        f'the SELECT {s / 1e6:.1f}M: {k / s:.2f}x'
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
