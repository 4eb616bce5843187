"""Instructions per api.record_price tick that matches RESTING open orders, counted by valgrind's callgrind.

The companion of count_instructions.py for the matcher: a migrated database (then VARIANT's SQL, if given)
with RESTING accounts, each holding one resting buy limit of TICK at 50 that a tick at 100 does not fill (so
every tick matches every order and fills none: the matcher's common case), WARMUP ticks behind it; then
`postgres --single` under callgrind running 20 and 20 + TICKS ticks on copies of the data directory. The
difference over TICKS is the count per tick. With --keep, the callgrind files stay for callgrind_annotate.
Needs valgrind.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import psycopg

from tradebase.cluster import Cluster

sys.path.insert(0, str(Path(__file__).resolve().parent))
import callgrind_statements  # sibling scripts, not a package
import count_instructions  # its callgrind count of a repeated statement

TICK = "select api.record_price('TICK', 100.00, clock_timestamp())"
DBNAME = 'ticks'


def prepare(cluster: Cluster, resting: int, warmup: int, variant: Path | None = None) -> Path:
    """A migrated database (then VARIANT's SQL) with RESTING resting orders and WARMUP ticks behind it; the
    server stopped."""
    url = callgrind_statements.migrated_database(cluster, DBNAME, variant)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into auth.users (email, username) select 'tick' || g || '@example.com', 'tick_' || g "
            'from generate_series(1, %s) as g',
            [max(resting, 1000)],
        )
        conn.execute("select api.upsert_security('TICK', 'Ticks', 'stock')")
        conn.execute("select api.record_price('TICK', 100.00)")
        print(f'{resting} resting orders, {warmup} warm-up ticks …', flush=True)
        for n in range(1, resting + 1):
            with conn.transaction():
                user = conn.execute('select id from auth.users where username = %s', [f'tick_{n}']).fetchone()
                conn.execute('select api.act_as(%s)', [user[0]])
                status = conn.execute(
                    "select (api.execute_paper_trade(a.id, 'TICK', 'buy', 1, 'limit', 50, null, 'gtc'))"
                    '.status::text from trading.accounts as a where a.user_id = %s',
                    [user[0]],
                ).fetchone()[0]
            if status != 'new':
                sys.exit(f'a resting order was {status}, not new')
        for _ in range(warmup):
            conn.execute(TICK, prepare=True)
        conn.execute('vacuum analyze')
    cluster.stop()
    return cluster.datadir


def tick_failure(result: subprocess.CompletedProcess[str], _ticks: int) -> str | None:
    """A run of ticks failed on any error."""
    if result.returncode != 0 or 'ERROR' in result.stdout + result.stderr:
        return f'the single-user run failed:\n{result.stderr[-2000:]}'
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--resting', type=int, default=50, help='resting orders every tick matches')
    parser.add_argument('--ticks', type=int, default=200, help='ticks counted (beyond the first 20)')
    parser.add_argument('--warmup', type=int, default=300, help='ticks recorded before counting')
    parser.add_argument('--keep', type=Path, help='a folder to keep the two callgrind files in')
    parser.add_argument(
        '--variant', type=Path, help='SQL run after migrating: counts a candidate change unmerged'
    )
    args = parser.parse_args(argv)
    callgrind_statements.require_valgrind()

    # fsync etc. off, as count_instructions.py counts (the copies carry the settings into the runs).
    cluster = Cluster.temporary(fast=True)
    try:
        datadir = prepare(cluster, args.resting, args.warmup, args.variant)
        instructions = count_instructions.count_beyond_20(
            datadir, DBNAME, TICK, args.ticks, args.keep, tick_failure
        )
    finally:
        cluster.destroy()
    per_tick = instructions // args.ticks
    print(f'instructions per tick with {args.resting} resting orders: {per_tick:,}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
