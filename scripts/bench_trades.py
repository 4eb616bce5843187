"""make bench-trades: the ledger's write path against pgbench's tpcb-like, on one server, in one run.

Starts a throwaway server (or uses DATABASE_URL, a superuser), then runs with pgbench, under each query
protocol asked for (`--protocols`: pgbench's default `simple`, and `prepared`):

1. tpcb-like (the baseline) on its own database initialised with `pgbench -i -s SCALE`;
2. the custom script on a migrated tradebase database, first with each client on its own account
   (`distinct`), then with every client on one account (`shared`).

It does this ROUNDS times, each round starting with the next workload in turn, so that a busy moment of
the machine (or a workload's place in the round) moves one round, not the result, and prints each round's
TPS figures and ratios to that round's baseline under the same protocol, then the median of each. The custom
script is a call of an api function per transaction as an administrator (no token check): by default
a market order through api.execute_paper_trade (`--script deposit` measures the ledger alone).

Last it holds the market orders to their target (TARGET) and exits with status 1 when they miss it.
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

from tradebase import config, db, migrate
from tradebase.cluster import Cluster, find_bindir

# One transaction of each custom script, on the account numbered :n in bench.accounts.
SCRIPTS = {
    'deposit': 'select api.deposit(a.id, 1.00) from bench.accounts as a where a.n = :n;\n',
    # A market buy of one BENCH at 1.00 that fills at once: order, fill, journal, lot, position, event.
    'market_order': (
        "select api.execute_paper_trade(a.id, 'BENCH', 'buy', 1) from bench.accounts as a where a.n = :n;\n"
    ),
}
# Which account each client uses: its own (pgbench's :client_id is 0 .. clients-1), or account 0 for all.
ACCOUNT_CHOICE = {'distinct': '\\set n :client_id\n', 'shared': '\\set n 0\n'}
# pgbench's query protocols: `simple` (its default) parses and plans every statement it sends, `prepared`
# each statement once per connection. tpcb-like sends seven statements per transaction, the custom
# scripts one, so the protocol moves the baseline far more than the api call.
PROTOCOLS = ('simple', 'prepared')
# Cash deposited on each client's account, for 10^10 orders of 1.00.
FUNDING = 10**10
# Every order of the market-order script fills at once; any other is a setup fault (cash, price).
UNFILLED_ORDERS = "select count(*) from trading.orders where status <> 'filled'"


def workload(protocol: str, what: str) -> str:
    """A workload's name in the results and the report: its protocol, then what runs."""
    return f'{protocol}: {what}'


def baseline(name: str) -> str:
    """The tpcb-like workload of NAME's protocol."""
    return workload(name.split(': ')[0], 'tpcb-like')


# The trade path's target: market orders on distinct accounts at half of tpcb-like or more (median ratio of
# the rounds), both run as pgbench runs them unless told otherwise, under its `simple` protocol.
TARGET = (workload('simple', 'market_order distinct'), 0.5)


def pgbench(url: str, *args: str) -> str:
    cmd = [str(find_bindir() / 'pgbench'), *args, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f'pgbench failed ({" ".join(cmd)}):\n{out.stdout}\n{out.stderr}')
    return out.stdout


def tps(output: str) -> float:
    match = re.search(r'tps = ([0-9.]+) \(without initial connection time\)', output)
    if not match:
        sys.exit(f'no TPS in pgbench output:\n{output}')
    return float(match.group(1))


def setup_accounts(url: str, clients: int, users: int) -> None:
    """USERS users (each with its default paper account), the clients' accounts spread evenly among them and
    numbered for the script; a priced security.

    pgbench's baseline finds its accounts among 100,000 per scale unit; with only the clients' accounts the
    planner scans one heap page for each lookup, the page every client writes, which is not what a platform
    with users sees and measures that page's contention rather than the trade path."""
    users = max(users, clients)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute('create schema bench')
        conn.execute('create table bench.accounts (n integer primary key, id uuid not null)')
        print(f'creating {users} users …', flush=True)
        conn.execute(
            "insert into auth.users (email, username) select 'bench' || g || '@example.com', 'bench_' || g "
            'from generate_series(0, %s) as g',
            [users - 1],
        )
        conn.execute(
            'insert into bench.accounts select n, a.id from generate_series(0, %s) as n '
            "join auth.users as u on u.username = 'bench_' || n * %s "
            'join trading.accounts as a on a.user_id = u.id',
            [clients - 1, users // clients],
        )
        # Enough cash that every order of a run fills: a default account's 100,000 pays for 100,000 orders
        # of 1.00, which the shared account alone places in a few rounds; after that every order would be
        # a (far cheaper) rejection for want of buying power.
        conn.execute('select api.deposit(a.id, %s) from bench.accounts as a', [FUNDING])
        conn.execute("select api.upsert_security('BENCH', 'Benchmark stock', 'stock')")
        conn.execute("select api.record_price('BENCH', 1.00)")
        conn.execute('analyze')


def round_order(names: list[str], n: int) -> list[str]:
    """The workloads of round n (from 1), starting with the next one in turn: on a shared machine a run's
    place in the round matters (two identical databases run alternately favoured the second by 8 %)."""
    k = (n - 1) % len(names)
    return names[k:] + names[:k]


def run(
    server_url: str,
    clients: int,
    seconds: int,
    scale: int,
    script: str,
    warmup: int,
    rounds: int,
    users: int = 10_000,
    protocols: tuple[str, ...] = PROTOCOLS,
) -> list:
    suffix = uuid.uuid4().hex[:8]
    tpcb_db, trades_db = f'bench_tpcb_{suffix}', f'bench_trades_{suffix}'
    tpcb_url = db.create_database(server_url, tpcb_db)
    trades_url = db.create_database(server_url, trades_db)
    parallel = ['-n', '-c', str(clients), '-j', str(clients)]
    try:
        print(f'pgbench -i -s {scale} …', flush=True)
        pgbench(tpcb_url, '-i', '-q', '-s', str(scale))
        print('migrating the tradebase database …', flush=True)
        migrate.migrate(trades_url, echo=lambda *_: None)
        setup_accounts(trades_url, clients, users)

        results = []
        with tempfile.TemporaryDirectory() as tmp:
            paths = {label: Path(tmp) / f'{script}_{label}.sql' for label in ACCOUNT_CHOICE}
            for label, path in paths.items():
                path.write_text(ACCOUNT_CHOICE[label] + SCRIPTS[script])
            if warmup:
                # pgbench -i leaves its tables filled and analysed; ours start empty, and the plans each
                # connection caches while they are (sequential scans) would last the whole run, as
                # autovacuum's first analyze comes after a minute. Trade first, then analyse.
                print(f'warming up: {script}, {clients} clients, {warmup} s, then analyze …', flush=True)
                pgbench(trades_url, *parallel, '-T', str(warmup), '-f', str(paths['distinct']))
                with psycopg.connect(trades_url, autocommit=True) as conn:
                    conn.execute('vacuum analyze')
            workloads = {}
            for protocol in protocols:
                workloads[workload(protocol, 'tpcb-like')] = (tpcb_url, '-M', protocol, '-b', 'tpcb-like')
                for label, path in paths.items():
                    name = workload(protocol, f'{script} {label}')
                    workloads[name] = (trades_url, '-M', protocol, '-f', str(path))
            names = list(workloads)
            for n in range(1, rounds + 1):
                result = {}
                for name in round_order(names, n):
                    url, *how = workloads[name]
                    print(f'round {n} of {rounds}: {name}, {clients} clients, {seconds} s …', flush=True)
                    result[name] = tps(pgbench(url, *parallel, '-T', str(seconds), *how))
                results.append({name: result[name] for name in names})
        with psycopg.connect(trades_url) as conn:
            broken = conn.execute('select * from ops.verify_invariants()').fetchall()
            unfilled = conn.execute(UNFILLED_ORDERS).fetchone()[0]
        if unfilled:
            sys.exit(f'{unfilled} orders did not fill: the benchmark measures orders that fill at once')
        if broken:
            sys.exit(f'invariants broken after the benchmark: {broken}')
        return results
    finally:
        db.drop_database(server_url, tpcb_db)
        db.drop_database(server_url, trades_db)


def protocol_list(value: str) -> tuple[str, ...]:
    protocols = tuple(value.split(','))
    if unknown := set(protocols) - {'simple', 'extended', 'prepared'}:
        raise argparse.ArgumentTypeError(f'unknown pgbench protocol {", ".join(sorted(unknown))}')
    return protocols


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--seconds', type=int, default=10, help='seconds of each workload in each round')
    parser.add_argument('--rounds', type=int, default=5, help='rounds of all workloads; medians are reported')
    parser.add_argument('--scale', type=int, default=8, help='pgbench -i scale of the baseline (>= clients)')
    parser.add_argument('--script', choices=sorted(SCRIPTS), default='market_order')
    parser.add_argument(
        '--protocols',
        type=protocol_list,
        default=PROTOCOLS,
        help='pgbench -M protocols to run, comma-separated (default: simple,prepared)',
    )
    parser.add_argument(
        '--warmup', type=int, default=5, help='seconds of the script (then analyze) before measuring; 0: none'
    )
    parser.add_argument(
        '--users', type=int, default=10_000, help='users (with their accounts) in the trades database'
    )
    parser.add_argument(
        '--report-only',
        action='store_true',
        help='print the verdict but exit 0 on a miss (make bench: the instruction count is its pass/fail)',
    )
    args = parser.parse_args(argv)

    cluster = None
    if env := config.database_url():
        server_url = db.with_dbname(env, 'postgres')
    else:
        cluster = Cluster.temporary(fast=True)  # fsync etc. off, as every run in docs/performance.md
        cluster.start()
        server_url = cluster.url('postgres')
    try:
        results = run(
            server_url,
            args.clients,
            args.seconds,
            args.scale,
            args.script,
            args.warmup,
            max(args.rounds, 1),
            args.users,
            args.protocols,
        )
    finally:
        if cluster:
            cluster.destroy()
    print(report(results))
    if (held := verdict(results)) is None:
        return 0
    met, text = held
    print(text)
    return 0 if met or args.report_only else 1


def report(rounds: list[dict]) -> str:
    """Each round's TPS and ratio to that round's tpcb-like under the same protocol, then the median TPS and
    median ratio."""
    width = max(len(name) for name in rounds[0]) + 2
    lines = [f'\n{"workload":<{width}}' + ''.join(f'{f"round {n}":>16}' for n in range(1, len(rounds) + 1))]
    lines[0] += f'{"median TPS":>12}{"median ratio":>14}'
    for name in rounds[0]:
        cells = ''.join(f'{r[name]:>9.0f} ({r[name] / r[baseline(name)]:.2f})' for r in rounds)
        median_tps = statistics.median(r[name] for r in rounds)
        lines.append(f'{name:<{width}}{cells}{median_tps:>12.0f}{median_ratio(rounds, name):>14.2f}')
    return '\n'.join(lines)


def median_ratio(rounds: list[dict], name: str) -> float:
    """The median over rounds of NAME's ratio to its round's baseline (not the ratio of the medians)."""
    return statistics.median(r[name] / r[baseline(name)] for r in rounds)


def verdict(rounds: list[dict]) -> tuple[bool, str] | None:
    """Whether the run met TARGET, and a line saying so; None when it ran no such workload (another script or
    protocol)."""
    name, floor = TARGET
    if name not in rounds[0]:
        return None
    ratio = median_ratio(rounds, name)
    met = ratio >= floor
    outcome = 'met' if met else 'missed'
    return met, f'\ntarget: {name} at {floor:.2f} of tpcb-like or more: {outcome} (median ratio {ratio:.2f})'


if __name__ == '__main__':
    sys.exit(main())
