"""Instructions of each statement of a single-user session, counted by valgrind's callgrind: the shared
part of the scripts that weigh one statement against another (count_strike_instructions.py,
count_analytics_instructions.py).

    cluster = callgrind_statements.stopped_server('x', fill)   # migrated, FILL(conn) run, vacuumed, stopped
    try:
        found = callgrind_statements.counts(cluster.datadir, 'x', statements)
    finally:
        cluster.destroy()
    figure = callgrind_statements.settled(found[a:b])

`counts` runs `postgres --single -j` under callgrind on a copy of the data directory with a dump after every
PortalRun (one dump a statement), so each statement's count is its own; the median of the last three calls of
a statement (`settled`) is the figure, since the first calls plan and PL/pgSQL settles on its generic plans
from the sixth. Each statement ends with a semicolon and a blank line, as `postgres --single -j` reads them.
Timings on a shared machine move by 10-30 %; these counts repeat. Needs valgrind.
"""

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg

from tradebase import db, migrate
from tradebase.cluster import Cluster, as_server_user, find_bindir, hand_to_server_user


def require_valgrind() -> None:
    if not shutil.which('valgrind'):
        sys.exit('valgrind is not installed (Debian: apt-get install valgrind)')


def migrated_database(cluster: Cluster, dbname: str, variant: Path | None = None) -> str:
    """Start CLUSTER and create DBNAME in it, migrated (then VARIANT's SQL, if given); its URL."""
    cluster.start()
    url = db.create_database(cluster.url('postgres'), dbname)
    print('migrating …', flush=True)
    migrate.migrate(url, echo=lambda *_: None)
    if variant:
        print(f'applying {variant} …', flush=True)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(variant.read_text())
    return url


def stopped_server(dbname: str, fill: Callable[[psycopg.Connection], None]) -> Cluster:
    """A stopped throwaway fast server holding database DBNAME, migrated, filled by FILL (a superuser's
    autocommit connection) and vacuumed; the caller destroys it."""
    cluster = Cluster.temporary(fast=True)
    try:
        url = migrated_database(cluster, dbname)
        with psycopg.connect(url, autocommit=True) as conn:
            fill(conn)
            conn.execute('vacuum analyze')
        cluster.stop()
    except BaseException:
        cluster.destroy()
        raise
    return cluster


def split_variant(path: Path) -> list[str]:
    """The statements of a --variant file: each ends with a semicolon and a blank line."""
    parts = re.split(r';[ \t]*\n[ \t]*\n', path.read_text())
    return [s.strip().rstrip(';') for s in parts if s.strip()]


def counts(datadir: Path, dbname: str, statements: list[str], keep: Path | None = None) -> list[int]:
    """Instructions of each statement of one single-user session on a copy of DATADIR. With KEEP, the
    callgrind dumps are copied there, numbered in statement order (callgrind.<n>, for callgrind_annotate)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        out.chmod(0o755)
        hand_to_server_user(out)
        copy = out / 'pgdata'
        subprocess.run(as_server_user(['cp', '-a', str(datadir), str(copy)]), check=True)
        cmd = [
            'valgrind', '--tool=callgrind', f'--callgrind-out-file={out}/callgrind.%p',
            '--dump-after=PortalRun', '--dump-instr=no',
            str(find_bindir() / 'postgres'), '--single', '-j', '-D', str(copy), dbname,
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
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for i, f in enumerate(dumps):
                shutil.copyfile(f, keep / f'callgrind.{i}')
        return [int(m.group(1)) for m in found]


def settled(found: list[int]) -> float:
    """The figure of a statement's calls: the median of the last three."""
    return statistics.median(found[-3:])


def millions(found: list[int]) -> str:
    return ', '.join(f'{x / 1e6:.1f}M' for x in found)
