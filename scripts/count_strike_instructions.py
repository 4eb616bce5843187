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
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

from tradebase import db, migrate
from tradebase.cluster import Cluster, as_server_user, find_bindir, hand_to_server_user

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_funds  # a sibling script, not a package

DBNAME = 'strike_instructions'
JOB = "select ops.job_strike_funds('{start}', '{end}')"


def build(funds: int, positions: int, history: int) -> Cluster:
    """A stopped throwaway server holding the migrated scratch funds."""
    cluster = Cluster.temporary(fast=True)
    cluster.start()
    url = db.create_database(cluster.url('postgres'), DBNAME)
    print('migrating …', flush=True)
    migrate.migrate(url, echo=lambda *_: None)
    print(f'building {funds} funds x {positions} positions, {history} days …', flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        bench_funds.build(conn, funds, positions, history)
        conn.execute('vacuum analyze')
    cluster.stop()
    return cluster


def counts(datadir: Path, statements: list[str]) -> list[int]:
    """Instructions of each statement of one single-user session on a copy of DATADIR."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        out.chmod(0o755)
        hand_to_server_user(out)
        copy = out / 'pgdata'
        subprocess.run(as_server_user(['cp', '-a', str(datadir), str(copy)]), check=True)
        cmd = [
            'valgrind', '--tool=callgrind', f'--callgrind-out-file={out}/callgrind.%p',
            '--dump-after=PortalRun', '--dump-instr=no',
            str(find_bindir() / 'postgres'), '--single', '-j', '-D', str(copy), DBNAME,
        ]  # fmt: skip
        script = ';\n\n'.join(statements) + ';\n\n'
        result = subprocess.run(
            as_server_user(cmd), input=script, capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or 'ERROR' in result.stdout + result.stderr:
            sys.exit(f'the single-user run failed:\n{(result.stdout + result.stderr)[-3000:]}')
        dumps = sorted(out.glob('callgrind.*.*'), key=lambda f: int(f.name.rsplit('.', 1)[1]))
        found = [re.search(r'^(?:totals|summary): (\d+)', f.read_text(), re.MULTILINE) for f in dumps]
        if len(found) != len(statements) or not all(found):
            sys.exit(f'{len(found)} dumps for {len(statements)} statements')
        return [int(m.group(1)) for m in found]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--funds', type=int, default=1000)
    parser.add_argument('--positions', type=int, default=20)
    parser.add_argument('--history', type=int, default=250)
    parser.add_argument('--rounds', type=int, default=8, help='calls of each (at least 3)')
    parser.add_argument('--strike', help='the statement counted instead of the strike_funds job')
    parser.add_argument('--variant', type=Path, help='SQL run first in the counted session')
    args = parser.parse_args(argv)
    if not shutil.which('valgrind'):
        sys.exit('valgrind is not installed (Debian: apt-get install valgrind)')

    cluster = build(args.funds, args.positions, args.history)
    try:
        select = bench_funds.SELECT.replace('%(as_of)s', '$1').strip()
        strike = args.strike or JOB.format(start=bench_funds.PERIOD[0], end=bench_funds.PERIOD[1])
        statements = ['set jit = off', f'prepare valuation (timestamptz) as {select}']
        if args.variant:
            variant = re.split(r';[ \t]*\n[ \t]*\n', args.variant.read_text())
            statements += [s.strip().rstrip(';') for s in variant if s.strip()]
        first = len(statements)
        rounds = max(args.rounds, 3)
        statements += [f"execute valuation ('{bench_funds.AS_OF}')"] * rounds
        for _ in range(rounds):
            statements += ['begin', strike, 'rollback']
        print('counting under callgrind …', flush=True)
        found = counts(cluster.datadir, statements)
    finally:
        cluster.destroy()
    selects = found[first : first + rounds]
    strikes = found[first + rounds + 1 :: 3]
    s, k = statistics.median(selects[-3:]), statistics.median(strikes[-3:])
    print(f'select: {", ".join(f"{x / 1e6:.1f}M" for x in selects)}')
    print(f'strike: {", ".join(f"{x / 1e6:.1f}M" for x in strikes)}')
    print(
        f'\nthe strike of {args.funds} funds counts {k / 1e6:.1f}M instructions, '
        f'the SELECT {s / 1e6:.1f}M: {k / s:.2f}x'
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
