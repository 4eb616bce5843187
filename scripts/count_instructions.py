"""Instructions per market order through api.execute_paper_trade, counted by valgrind's callgrind.

On a shared machine wall-clock figures move by +-10 % between back-to-back runs, so a change worth a few
per cent cannot be seen with pgbench; instruction counts repeat exactly. This starts a throwaway server,
migrates a database, places WARMUP market orders on one account (plans cached, tables analysed), stops the
server, then runs `postgres --single` under callgrind twice on copies of the data directory: with 20 orders
and with 20 + ORDERS. The difference over ORDERS is the count per order (start-up and the first plans cancel
out). With --variant FILE, that SQL runs right after migrating, so a candidate change (or an ablation) is
counted before it is written as a migration. With --keep, the callgrind files stay for
`callgrind_annotate --inclusive=yes` (where the instructions go). Needs valgrind.

The count is `make bench`'s pass/fail, since it repeats where timings do not: a run above BUDGET exits 1.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg

from tradebase.cluster import Cluster, as_server_user, find_bindir, hand_to_server_user

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_trades  # sibling scripts, not a package
import callgrind_statements

# The benchmark's market order, on bench account 0, one statement per line for the single-user backend.
ORDER = bench_trades.SCRIPTS['market_order'].replace(':n', '0').strip().rstrip(';')
DBNAME = 'instructions'
# Issue 14's budget: within 5 % of the 3,037,083 instructions per market order counted before the engine's
# reshaping (docs/performance.md).
BASELINE = 3_037_083
BUDGET = BASELINE * 105 // 100


def prepare(cluster: Cluster, warmup: int, variant: Path | None = None) -> Path:
    """A migrated database (then VARIANT's SQL, if given) with one bench account and WARMUP orders behind
    it; the server stopped."""
    url = callgrind_statements.migrated_database(cluster, DBNAME, variant)
    bench_trades.setup_accounts(url, clients=1, users=1000)
    print(f'{warmup} warm-up orders …', flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(warmup):
            conn.execute(ORDER, prepare=True)
        conn.execute('vacuum analyze')
    cluster.stop()
    return cluster.datadir


# Given a single-user run and how many statements it ran, what went wrong (None when nothing did).
Failure = Callable[[subprocess.CompletedProcess[str], int], str | None]


def order_failure(result: subprocess.CompletedProcess[str], orders: int) -> str | None:
    """A run of market orders failed unless every order filled."""
    filled = result.stdout.count('filled')
    if result.returncode != 0 or filled != orders:
        return f'the single-user run failed ({filled} of {orders} orders filled):\n{result.stderr[-2000:]}'
    return None


def count(datadir: Path, dbname: str, statement: str, times: int, out: Path, failure: Failure) -> int:
    """Instructions of a single-user backend running STATEMENT TIMES times in DBNAME on a copy of DATADIR (the
    callgrind file is OUT); exits with what FAILURE finds wrong with the run."""
    copy = out.with_suffix('.pgdata')
    subprocess.run(as_server_user(['cp', '-a', str(datadir), str(copy)]), check=True)
    cmd = [
        'valgrind', '--tool=callgrind', f'--callgrind-out-file={out}',
        str(find_bindir() / 'postgres'), '--single', '-D', str(copy), dbname,
    ]  # fmt: skip
    result = subprocess.run(
        as_server_user(cmd), input=f'{statement}\n' * times, capture_output=True, text=True, check=False
    )
    subprocess.run(as_server_user(['rm', '-rf', str(copy)]), check=True)
    problem = failure(result, times)
    if problem:
        sys.exit(problem)
    match = re.search(r'^summary: (\d+)$', out.read_text(), re.MULTILINE)
    if not match:
        sys.exit(f'no summary line in {out}')
    return int(match.group(1))


def count_beyond_20(
    datadir: Path, dbname: str, statement: str, extra: int, keep: Path | None, failure: Failure
) -> int:
    """Instructions of EXTRA runs of STATEMENT: single-user runs of 20 and 20 + EXTRA on copies of DATADIR,
    subtracted (start-up and the first plans cancel out). With KEEP, the two callgrind files are copied there.
    Shared with count_tick_instructions.py."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        out.chmod(0o755)
        hand_to_server_user(out)
        print('counting under callgrind …', flush=True)
        base = count(datadir, dbname, statement, 20, out / 'callgrind.20', failure)
        full = count(datadir, dbname, statement, 20 + extra, out / f'callgrind.{20 + extra}', failure)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for f in out.glob('callgrind.*'):
                shutil.copy(f, keep / f.name)
    return full - base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orders', type=int, default=200, help='orders counted (beyond the first 20)')
    parser.add_argument('--warmup', type=int, default=3000, help='orders placed before counting')
    parser.add_argument(
        '--budget', type=int, default=BUDGET, help='instructions per order above which it fails'
    )
    parser.add_argument('--keep', type=Path, help='a folder to keep the two callgrind files in')
    parser.add_argument(
        '--variant',
        type=Path,
        help='SQL run after migrating: counts a candidate change (or an ablation) unmerged',
    )
    args = parser.parse_args(argv)
    callgrind_statements.require_valgrind()

    # fsync etc. off: the settings the figures in docs/performance.md were counted with (the copies of the
    # data directory carry them into the single-user runs).
    cluster = Cluster.temporary(fast=True)
    try:
        datadir = prepare(cluster, args.warmup, args.variant)
        instructions = count_beyond_20(datadir, DBNAME, ORDER, args.orders, args.keep, order_failure)
    finally:
        cluster.destroy()
    per_order = instructions // args.orders
    print(f'instructions per market order: {per_order:,}')
    met, text = verdict(per_order, args.budget)
    print(text)
    return 0 if met else 1


def verdict(per_order: int, budget: int) -> tuple[bool, str]:
    """Whether a count is within BUDGET, and a line saying so with its distance from BASELINE."""
    met = per_order <= budget
    change = (per_order - BASELINE) / BASELINE
    outcome = 'met' if met else 'exceeded'
    return (
        met,
        f'budget: {budget:,} per market order or fewer: {outcome} ({change:+.1%} against {BASELINE:,})',
    )


if __name__ == '__main__':
    sys.exit(main())
