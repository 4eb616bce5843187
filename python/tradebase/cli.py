"""The `tradebase` command line. Each command is a thin call into a module of this package."""

import argparse
import os
import shutil
import sys
from datetime import date

import psycopg

from . import config, errors, market, migrate, partitions
from .cluster import Cluster, ClusterError


def _url(args) -> str:
    """DATABASE_URL when set, else the throwaway cluster (started when not running)."""
    if env := config.database_url():
        return env
    return Cluster.default().start()


# -- db --------------------------------------------------------------------------------------
def _mode(cluster: Cluster) -> str:
    """How durable the running server is, in words."""
    shown = cluster.durability()
    if all(v == 'on' for v in shown.values()):
        return 'durable (fsync, synchronous_commit, full_page_writes on)'
    if all(v == 'off' for v in shown.values()):
        return 'fast (fsync, synchronous_commit, full_page_writes off: a crash loses acknowledged commits)'
    return 'not durable: ' + ', '.join(f'{k} = {v}' for k, v in shown.items())


def cmd_db(args) -> int:
    extra = [] if args.action == 'psql' else args.psql_args
    if any(a != '--fast' for a in extra) or (extra and args.action != 'up'):
        print(f'tradebase db {args.action}: unexpected arguments {" ".join(extra)}', file=sys.stderr)
        return 2
    cluster = Cluster.default(fast=True if extra else None)
    if args.action == 'up':
        if config.database_url():
            print('DATABASE_URL is set: tradebase uses that server, no throwaway server is started.')
            return 0
        url = cluster.start(reconfigure=True)
        print(f'server running: {url}')
        print(f'  {_mode(cluster)}')
        print(f'  psql "{url}"      (stop it with: make db-down)')
    elif args.action == 'down':
        print('server stopped' if cluster.stop() else 'no server was running')
    elif args.action == 'url':
        print(config.database_url() or cluster.url())
    elif args.action == 'status':
        if config.database_url():
            print('using DATABASE_URL')
        elif cluster.is_running():
            print(f'running on port {cluster.port}, data in {cluster.datadir}, log {cluster.logfile}')
            print(_mode(cluster))
        else:
            print('not running')
            return 3
    elif args.action == 'psql':
        psql = shutil.which('psql')
        if psql is None:
            raise ClusterError('psql not found: apt-get install postgresql-client-15')
        os.execv(psql, [psql, _url(args), *args.psql_args])
    return 0


# -- migrations --------------------------------------------------------------------------------
def cmd_migrate(args) -> int:
    result = migrate.migrate(_url(args), dry_run=args.dry_run)
    if not args.dry_run:
        print('up to date' if result.up_to_date else 'migrated')
    return 0


def cmd_rollback(args) -> int:
    done = migrate.rollback(_url(args), steps=args.steps)
    print(f'rolled back {len(done)} migration(s)' if done else 'nothing to roll back')
    return 0


def cmd_status(args) -> int:
    plan = migrate.plan(_url(args))
    for line in migrate.describe(plan):
        print(line)
    return 0 if plan.up_to_date else 1


# -- partitions ---------------------------------------------------------------------------------
def cmd_partitions(args) -> int:
    url = _url(args)
    if args.action == 'list':
        for h in partitions.health(url, table=args.table):
            p = h.pset
            oldest = f'{h.oldest.name} from {h.oldest.lower:%Y-%m-%d}' if h.oldest else '-'
            covered = f'{h.covered_until:%Y-%m-%d}' if h.covered_until else '-'
            in_default = f'{h.default_rows} row(s) in default'
            if h.default_rows is None:
                in_default = 'no default partition'
            keep = f'retention {p.retention} ({p.retention_mode})' if p.retention else 'kept forever'
            print(
                f'{p.parent} by {p.interval} on {p.key_column}: {h.children} children, {in_default}, '
                f'covered until {covered}, oldest {oldest}, premake {p.premake}, {keep}'
            )
        return 0
    run = partitions.ensure if args.action == 'ensure' else partitions.retention
    quiet = lambda _script: None  # noqa: E731
    scripts = run(url, table=args.table, dry_run=args.dry_run, echo=print if args.dry_run else quiet)
    if not args.dry_run:
        for script in scripts:
            print(script.splitlines()[0].removeprefix('-- '))
    print(f'{len(scripts)} change(s) {"would be made" if args.dry_run else "made"}')
    return 0


# -- market data --------------------------------------------------------------------------------
def _show_progress(label: str):
    def show(rows: int, done: int, total: int) -> None:
        share = f' ({100 * done // total}%)' if total else ''
        print(f'\r{label}: {rows:,} rows{share}', end='', file=sys.stderr, flush=True)

    return show


def cmd_market(args) -> int:
    url = _url(args)
    if args.action == 'import':
        result = market.import_csv(
            args.file,
            args.symbol,
            timeframe=args.timeframe,
            create_security=args.create_security,
            url=url,
            progress=_show_progress(f'importing {args.file}'),
        )
        print(file=sys.stderr)
        results = {args.symbol: result}
    else:
        results = market.simulate(
            [s for s in args.symbols.split(',') if s],
            days=args.days,
            timeframe=args.timeframe,
            seed=args.seed,
            start=args.start,
            url=url,
        )
    for symbol, r in results.items():
        print(f'{symbol}: {r.rows} bars, {r.inserted} new, {r.updated} updated, {r.unchanged} unchanged')
    return 0


def cmd_demo(args) -> int:
    from . import demo

    return demo.run(_url(args))


def cmd_worker(args) -> int:
    from . import worker

    jobs = None if args.no_jobs else args.jobs_interval
    return worker.run(
        _url(args), batch_size=args.batch_size, poll_interval=args.poll_interval, jobs_interval=jobs
    )


def cmd_docs(args) -> int:
    from . import schemadoc

    print(f'wrote {schemadoc.write(_url(args))}')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='tradebase', description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)

    p = sub.add_parser('db', help='the throwaway local server')
    p.add_argument('action', choices=['up', 'down', 'url', 'psql', 'status'])
    p.add_argument(
        'psql_args',
        nargs=argparse.REMAINDER,
        metavar='args',
        help='db up --fast: fsync, synchronous_commit, full_page_writes off, for tests and benchmarks '
        '(a crash loses acknowledged commits; also TRADEBASE_FAST=1); db psql: extra psql arguments',
    )
    p.set_defaults(func=cmd_db)

    p = sub.add_parser('migrate', help='apply pending migrations and changed sql/ objects')
    p.add_argument('--dry-run', action='store_true', help='print what would run, change nothing')
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser('rollback', help='roll back the newest migrations')
    p.add_argument('--steps', type=int, default=1)
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser(
        'status', help='pending migrations and drifted sql/ objects (exit 1 unless up to date)'
    )
    p.set_defaults(func=cmd_status)

    p = sub.add_parser('docs', help='regenerate docs/schema.md from a freshly migrated scratch database')
    p.set_defaults(func=cmd_docs)
    p = sub.add_parser('partitions', help='partition sets: ensure children, list health, apply retention')
    p.add_argument('action', choices=['ensure', 'list', 'retention'])
    p.add_argument('--table', help='only this registered parent, e.g. market.market_data')
    p.add_argument('--dry-run', action='store_true', help='print the SQL instead of running it')
    p.set_defaults(func=cmd_partitions)

    p = sub.add_parser('market', help='bulk bars: import a CSV, or simulate')
    msub = p.add_subparsers(dest='action', required=True)
    m = msub.add_parser('import', help='load Date,Open,High,Low,Close,Volume bars (all or nothing, upsert)')
    m.add_argument('file')
    m.add_argument('--symbol', required=True)
    m.add_argument('--timeframe', default='1d', choices=market.TIMEFRAMES)
    m.add_argument('--create-security', action='store_true', help='create the symbol as a stock if missing')
    m.set_defaults(func=cmd_market)
    m = msub.add_parser('simulate', help='deterministic geometric Brownian motion bars')
    m.add_argument('--symbols', required=True, help='comma-separated, e.g. AAA,BBB')
    m.add_argument('--days', type=int, required=True)
    m.add_argument('--timeframe', default='1d', choices=market.TIMEFRAMES)
    m.add_argument('--seed', type=int, default=0)
    m.add_argument('--start', type=date.fromisoformat, help='first day (UTC), default: --days before today')
    m.set_defaults(func=cmd_market)

    p = sub.add_parser('worker', help='run the event outbox consumers until SIGTERM (docs/events.md)')
    p.add_argument('--batch-size', type=int, default=500, help='events per transaction and consumer')
    p.add_argument('--poll-interval', type=float, default=0.5, help='seconds between polls without a NOTIFY')
    p.add_argument(
        '--jobs-interval', type=float, default=30.0, help='seconds between ops.run_due_jobs() calls'
    )
    p.add_argument('--no-jobs', action='store_true', help='run the consumers only (pg_cron runs the jobs)')
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser('demo', help='migrate the throwaway server and walk through tradebase')
    p.set_defaults(func=cmd_demo)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ClusterError as err:
        print(f'tradebase: {err}', file=sys.stderr)
        return 2
    except (LookupError, market.ImportRejected, errors.TradebaseError) as err:
        print(f'tradebase: {err}', file=sys.stderr)
        return 2
    except psycopg.Error as err:
        notes = ''.join(f'\n  {note}' for note in getattr(err, '__notes__', ()))
        print(f'tradebase: database error [{err.sqlstate}]: {err}{notes}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
