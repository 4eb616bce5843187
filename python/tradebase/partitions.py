"""The partition manager (DESIGN §6): children ahead of time, a default per set, retention.

Sets are the rows of `ops.partitioned_tables`; children and their real bounds come from
`ops.partition_children`. `ensure`'s DDL is rendered from `sql/templates/*.sql.j2` with identifiers and
literals quoted by psycopg.sql before rendering; `retention`'s comes from `ops.partition_retention_plan`
(which ops.run_maintenance runs too). `--dry-run` prints exactly the scripts `ensure` or `retention`
would execute. Each set is handled in one transaction, as `tradebase_owner`, under an
advisory lock so concurrent runs serialise.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import jinja2
import psycopg
from psycopg import sql

from . import cluster, config, db

LOCK_PREFIX = 'tradebase.partitions:'
KEY_TYPES = ('timestamp with time zone', 'date')

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR),
    undefined=jinja2.StrictUndefined,
    autoescape=False,  # SQL, not HTML: values are quoted by psycopg.sql before rendering
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class PartitionSet:
    """One row of ops.partitioned_tables."""

    parent: str
    key_column: str
    interval: str
    premake: int
    retention: str | None  # a Postgres interval, e.g. '1 year'
    retention_mode: str
    archive_schema: str | None

    @property
    def schema(self) -> str:
        return self.parent.split('.', 1)[0]

    @property
    def table(self) -> str:
        return self.parent.split('.', 1)[1]


@dataclass(frozen=True)
class Child:
    name: str
    is_default: bool
    lower: datetime | None
    upper: datetime | None


@dataclass(frozen=True)
class Health:
    """What `list` reports for one set."""

    pset: PartitionSet
    children: int
    default_rows: int | None  # None: the set has no default partition yet
    oldest: Child | None
    covered_until: datetime | None


# -- periods -------------------------------------------------------------------------------------
def period_start(ts: datetime, interval: str) -> datetime:
    ts = ts.astimezone(UTC)
    month = ts.month if interval == 'month' else 1
    return datetime(ts.year, month, 1, tzinfo=UTC)


def next_period(start: datetime, interval: str, steps: int = 1) -> datetime:
    if interval == 'year':
        return start.replace(year=start.year + steps)
    months = start.year * 12 + start.month - 1 + steps
    return start.replace(year=months // 12, month=months % 12 + 1)


def child_name(pset: PartitionSet, start: datetime) -> str:
    suffix = f'p{start:%Y}' if pset.interval == 'year' else f'p{start:%Y_%m}'
    return f'{pset.table}_{suffix}'


# -- catalog reads -------------------------------------------------------------------------------
def registered(conn: psycopg.Connection, table: str | None = None) -> list[PartitionSet]:
    if conn.execute("select to_regclass('ops.partitioned_tables')").fetchone()[0] is None:
        return []  # before the registry's migration
    rows = conn.execute(
        """
        select
            parent_table, key_column, partition_interval, premake,
            retention::text, retention_mode, archive_schema
        from ops.partitioned_tables
        where %(table)s::text is null or parent_table = %(table)s
        order by parent_table
        """,
        {'table': table},
    ).fetchall()
    if table and not rows:
        raise LookupError(f'{table} is not registered in ops.partitioned_tables')
    return [PartitionSet(*row) for row in rows]


def children(conn: psycopg.Connection, pset: PartitionSet) -> list[Child]:
    rows = conn.execute('select * from ops.partition_children(%s::regclass)', [pset.parent]).fetchall()
    return [Child(*row) for row in rows]


def _ident(conn: psycopg.Connection, *parts: str) -> str:
    return sql.Identifier(*parts).as_string(conn)


def _literal(conn: psycopg.Connection, value) -> str:
    return sql.Literal(value).as_string(conn)


def _key_type(conn: psycopg.Connection, pset: PartitionSet) -> str:
    row = conn.execute(
        """
        select format_type(a.atttypid, a.atttypmod)
        from pg_attribute as a
        where a.attrelid = %s::regclass and a.attname = %s and not a.attisdropped
        """,
        [pset.parent, pset.key_column],
    ).fetchone()
    if row is None or row[0] not in KEY_TYPES:
        raise ValueError(f'{pset.parent}.{pset.key_column} must be a timestamptz or date column')
    return row[0]


def _bound(conn: psycopg.Connection, key_type: str, start: datetime) -> str:
    return _literal(conn, f'{start:%Y-%m-%d}' if key_type == 'date' else f'{start:%Y-%m-%d %H:%M:%S}+00')


def _default_periods(conn: psycopg.Connection, pset: PartitionSet, default: Child) -> dict[datetime, int]:
    """Rows of the default partition per period (start of month or year, UTC)."""
    query = sql.SQL(
        'select date_trunc({unit}, {key}::timestamptz, {utc}) as period, count(*) from {default} group by 1'
    ).format(
        unit=sql.Literal(pset.interval),
        key=sql.Identifier(pset.key_column),
        utc=sql.Literal('UTC'),
        default=sql.SQL(default.name),  # regclass text: already quoted by the server
    )
    return {period.astimezone(UTC): count for period, count in conn.execute(query)}


def _columns(conn: psycopg.Connection, pset: PartitionSet) -> str:
    """The parent's columns that accept values (generated columns are recomputed on insert)."""
    rows = conn.execute(
        """
        select attname from pg_attribute
        where attrelid = %s::regclass and attnum > 0 and not attisdropped and attgenerated = ''
        order by attnum
        """,
        [pset.parent],
    ).fetchall()
    return ', '.join(_ident(conn, name) for (name,) in rows)


def _begin(conn: psycopg.Connection, pset: PartitionSet, now: datetime | None) -> datetime:
    """Start work on one set in the caller's transaction: lock it against concurrent ensure/retention
    runs, compute in UTC, and return `now` (the server's clock unless given)."""
    conn.execute('select pg_advisory_xact_lock(hashtextextended(%s, 0))', [LOCK_PREFIX + pset.parent])
    conn.execute("set local timezone = 'UTC'")
    return now or conn.execute('select now()').fetchone()[0]


# -- ensure --------------------------------------------------------------------------------------
def plan_ensure(
    conn: psycopg.Connection,
    pset: PartitionSet,
    now: datetime,
    cover: tuple[datetime, datetime] | None = None,
) -> list[str]:
    """The scripts that give `pset` a default partition and every missing child: the current period
    and `premake` ahead, each period with rows in the default, and the periods of `cover` (inclusive)."""
    key_type = _key_type(conn, pset)
    existing = children(conn, pset)
    default = next((c for c in existing if c.is_default), None)
    ranges = [(c.lower, c.upper) for c in existing if c.lower is not None]
    parent = _ident(conn, pset.schema, pset.table)
    scripts = []

    default_name = f'{pset.table}_default'
    if default is None:
        child = _ident(conn, pset.schema, default_name)
        scripts.append(
            _templates.get_template('default.sql.j2').render(
                parent=parent,
                child=child,
                parent_name=_literal(conn, parent),
                child_name=_literal(conn, child),
                comment=_literal(conn, f'Default partition of {pset.parent}: rows outside every child.'),
            )
        )
        drain: dict[datetime, int] = {}
    else:
        drain = _default_periods(conn, pset, default)

    wanted = set(drain)
    current = period_start(now, pset.interval)
    wanted |= {next_period(current, pset.interval, i) for i in range(pset.premake + 1)}
    if cover:
        start, stop = (period_start(t, pset.interval) for t in cover)
        while start <= stop:
            wanted.add(start)
            start = next_period(start, pset.interval)

    columns = _columns(conn, pset) if drain else ''
    for start in sorted(wanted):
        end = next_period(start, pset.interval)
        if any(lo < end and start < hi for lo, hi in ranges):
            continue  # an existing child already covers (part of) this period
        name = child_name(pset, start)
        child = _ident(conn, pset.schema, name)
        scripts.append(
            _templates.get_template('partition.sql.j2').render(
                parent=parent,
                child=child,
                parent_name=_literal(conn, parent),
                child_name=_literal(conn, child),
                default=_ident(conn, pset.schema, default_name),
                stash=_ident(conn, f'tb_drain_{name}'),
                key=_ident(conn, pset.key_column),
                columns=columns,
                lower=_bound(conn, key_type, start),
                upper=_bound(conn, key_type, end),
                drain_rows=drain.get(start, 0),
                comment=_literal(
                    conn, f'Partition of {pset.parent} for [{start:%Y-%m-%d}, {end:%Y-%m-%d}) UTC.'
                ),
            )
        )
    return scripts


def _run(conn: psycopg.Connection, scripts: Iterable[str]) -> None:
    conn.execute(sql.SQL('set local role {}').format(sql.Identifier(config.OWNER_ROLE)))
    for script in scripts:
        conn.execute(script)
    conn.execute('reset role')


def ensure_set(
    conn: psycopg.Connection,
    pset: PartitionSet,
    *,
    now: datetime | None = None,
    cover: tuple[datetime, datetime] | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Ensure one set inside the caller's transaction (an import ensures the range it loads)."""
    scripts = plan_ensure(conn, pset, _begin(conn, pset, now), cover)
    if not dry_run:
        _run(conn, scripts)
    return scripts


def ensure(
    url: str | None = None,
    *,
    table: str | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    echo: Callable[[str], None] = print,
) -> list[str]:
    """Every registered set (or `table`) gets its default partition and missing children; each set in
    its own transaction. Returns the scripts run (or, with dry_run, that would run)."""
    return _each_set(
        url, table, dry_run, echo, lambda conn, pset: ensure_set(conn, pset, now=now, dry_run=dry_run)
    )


def _each_set(
    url, table, dry_run, echo, work: Callable[[psycopg.Connection, PartitionSet], list[str]]
) -> list[str]:
    """Run `work` for every registered set (or `table`), each in its own transaction (rolled back on dry
    runs), echoing and collecting the scripts it returns."""
    done = []
    with db.connection(cluster.resolve_url(url), autocommit=True) as conn:
        for pset in registered(conn, table):
            with conn.transaction(force_rollback=dry_run):
                scripts = work(conn, pset)
            for script in scripts:
                echo(script.rstrip())
            done += scripts
    return done


# -- retention -----------------------------------------------------------------------------------
def plan_retention(conn: psycopg.Connection, pset: PartitionSet, now: datetime) -> list[str]:
    """Children whose upper bound is at or before now - retention, except the newest child: one script
    each. The rule and the statements are ops.partition_retention_plan's (ops.run_maintenance runs the
    same plan)."""
    rows = conn.execute(
        'select child, mode, lower_bound, upper_bound, statements '
        'from ops.partition_retention_plan(%s, %s) order by lower_bound',
        [now, pset.parent],
    ).fetchall()
    return [
        f'-- {child}: {mode} partition of {pset.parent} for [{lower.isoformat()}, {upper.isoformat()})\n'
        + ''.join(f'{statement};\n' for statement in statements)
        for child, mode, lower, upper, statements in rows
    ]


def retention(
    url: str | None = None,
    *,
    table: str | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    echo: Callable[[str], None] = print,
) -> list[str]:
    """Apply each set's retention; returns the scripts run (or, with dry_run, that would run)."""

    def retire(conn: psycopg.Connection, pset: PartitionSet) -> list[str]:
        scripts = plan_retention(conn, pset, _begin(conn, pset, now))
        if not dry_run:
            # As the session user: archiving may create the archive schema (CREATE on the database).
            for script in scripts:
                conn.execute(script)
        return scripts

    return _each_set(url, table, dry_run, echo, retire)


# -- list ----------------------------------------------------------------------------------------
def health(url: str | None = None, *, table: str | None = None) -> list[Health]:
    out = []
    with db.connection(cluster.resolve_url(url), autocommit=True) as conn:
        for pset in registered(conn, table):
            kids = children(conn, pset)
            default = next((c for c in kids if c.is_default), None)
            ranged = [c for c in kids if c.lower is not None]
            rows = None
            if default is not None:
                count = sql.SQL('select count(*) from {}').format(sql.SQL(default.name))
                rows = conn.execute(count).fetchone()[0]
            out.append(
                Health(
                    pset,
                    len(ranged),
                    rows,
                    ranged[0] if ranged else None,
                    max((c.upper for c in ranged), default=None),
                )
            )
    return out
