"""Migrations (yoyo, state) and repeatable SQL objects (sql/, behaviour), with drift detection.

`migrate` holds a session advisory lock for its whole run, so two concurrent runs serialise and
the second finds nothing to do. Order of work:

1. yoyo applies every pending file of migrations/ (each one transaction);
2. every sql/ file whose checksum changed, that is new, or whose deployed definition no longer
   matches what was recorded (drift, or dropped by a rollback) is applied in dependency order, each
   in its own transaction as `tradebase_owner`, and recorded in `ops.sql_objects`;
3. `partitions.ensure` gives every registered partitioned table its default and missing children.

Object order: schemas in `config.SCHEMA_ORDER`, then within a schema by `-- depends: schema/file.sql`
header lines (topologically), then by file name; a schema's `grants.sql` comes last in its schema.
"""

import hashlib
import heapq
import re
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from yoyo import get_backend, read_migrations

from . import config, db, partitions

MIGRATE_LOCK_KEY = 'tradebase.migrate'

_DEPENDS_RE = re.compile(r'^--\s*depends:\s*(.+)$', re.MULTILINE)
_NAME = r'((?:"[^"]+"|[a-z_][a-z0-9_$]*)(?:\.(?:"[^"]+"|[a-z_][a-z0-9_$]*))?)'
_DEFINES_RE = re.compile(
    r'^\s*create\s+(?:or\s+replace\s+)?(?:constraint\s+)?'
    r'(function|procedure|view|materialized\s+view|trigger|policy)\s+(?:if\s+not\s+exists\s+)?'
    + _NAME
    + r'(?:[^;]*?\bon\s+'
    + _NAME
    + r')?',
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class SqlObject:
    """One file under sql/: its text, checksum, declared dependencies and the objects it creates."""

    path: str  # relative to sql/, e.g. 'app/raise_error.sql'
    text: str
    depends: tuple[str, ...] = ()
    defines: tuple[tuple[str, str, str | None], ...] = field(default=())

    @property
    def schema(self) -> str:
        return self.path.split('/', 1)[0]

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _parse(path: str, text: str) -> SqlObject:
    depends = tuple(d for line in _DEPENDS_RE.findall(text) for d in line.split())
    defines = []
    for kind, name, table in _DEFINES_RE.findall(text):
        kind = ' '.join(kind.lower().split())
        # Triggers and policies are named per table; the rest are schema-qualified names.
        defines.append((kind, name, table or None) if kind in ('trigger', 'policy') else (kind, name, None))
    return SqlObject(path, text, depends, tuple(dict.fromkeys(defines)))


def load_objects(sql_dir: Path | None = None) -> list[SqlObject]:
    """Every object file under sql/<schema>/, in the order they must be applied."""
    sql_dir = sql_dir or config.SQL_DIR
    objects: dict[str, SqlObject] = {}
    for schema in config.SCHEMA_ORDER:
        folder = sql_dir / schema
        for file in sorted(folder.rglob('*.sql')) if folder.is_dir() else []:
            rel = file.relative_to(sql_dir).as_posix()
            objects[rel] = _parse(rel, file.read_text())
    unknown = [
        p.name
        for p in sql_dir.iterdir()
        if p.is_dir() and p.name not in config.SCHEMA_ORDER and p.name != 'templates'
    ]
    if unknown:
        raise ValueError(f'sql/ folders without a place in config.SCHEMA_ORDER: {", ".join(unknown)}')

    rank = {s: i for i, s in enumerate(config.SCHEMA_ORDER)}
    graph: dict[str, set[str]] = {}
    for obj in objects.values():
        missing = [d for d in obj.depends if d not in objects]
        if missing:
            raise ValueError(f'sql/{obj.path} depends on missing file(s): {", ".join(missing)}')
        deps = set(obj.depends)
        # Earlier schemas first; a schema's grants after everything else in that schema.
        deps |= {p for p, o in objects.items() if rank[o.schema] < rank[obj.schema]}
        if obj.path.endswith('/grants.sql'):
            deps |= {p for p, o in objects.items() if o.schema == obj.schema and p != obj.path}
        graph[obj.path] = deps

    # Kahn's algorithm, always taking the ready file that sorts first (schema rank, then path).
    waiting = {p: set(d) for p, d in graph.items()}
    ready = [(rank[objects[p].schema], p) for p, d in waiting.items() if not d]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, path = heapq.heappop(ready)
        ordered.append(path)
        for other, deps in waiting.items():
            if path in deps:
                deps.discard(path)
                if not deps:
                    heapq.heappush(ready, (rank[objects[other].schema], other))
    if len(ordered) != len(objects):
        cycle = sorted(set(objects) - set(ordered))
        raise ValueError(f'sql/ files depend on each other in a cycle: {", ".join(cycle)}')
    return [objects[p] for p in ordered]


# -- yoyo --------------------------------------------------------------------------------------
def _yoyo_url(url: str) -> str:
    if '://' not in url:
        params = conninfo_to_dict(url)
        auth = params.get('user', '') + (':' + params['password'] if params.get('password') else '')
        url = (
            f'postgresql://{auth}{"@" if auth else ""}{params.get("host", "")}'
            f':{params.get("port", 5432)}/{params.get("dbname", "")}'
        )
    parts = urlsplit(url)
    return parts._replace(scheme='postgresql+psycopg').geturl()


@contextmanager
def _yoyo(url: str):
    """yoyo's backend (holding its lock) and the migrations; its connection is closed afterwards."""
    backend = get_backend(_yoyo_url(url))
    try:
        with backend.lock():
            yield backend, read_migrations(str(config.MIGRATIONS_DIR))
    finally:
        backend.connection.close()


# -- deployed state ------------------------------------------------------------------------------
def _has_object_registry(conn: psycopg.Connection) -> bool:
    row = conn.execute("select to_regclass('ops.sql_objects') is not null").fetchone()
    return bool(row and row[0])


def _recorded(conn: psycopg.Connection) -> dict[str, tuple[str, str | None]]:
    if not _has_object_registry(conn):
        return {}
    rows = conn.execute('select path, checksum, fingerprint from ops.sql_objects')
    return {path: (checksum, fingerprint) for path, checksum, fingerprint in rows}


def fingerprint(conn: psycopg.Connection, obj: SqlObject) -> str | None:
    """A digest of what the catalog holds for the objects this file defines; None if one is missing."""
    if not obj.defines:
        return obj.checksum  # grants and other statements: only the file checksum can be compared
    if (
        conn.execute("select to_regprocedure('ops.deployed_definition(text,text,text)')").fetchone()[0]
        is None
    ):
        return None
    parts = []
    for kind, name, table in obj.defines:
        row = conn.execute('select ops.deployed_definition(%s, %s, %s)', [kind, name, table]).fetchone()
        if row is None or row[0] is None:
            return None
        parts.append(row[0])
    return hashlib.sha256('\n'.join(parts).encode()).hexdigest()


@dataclass
class Plan:
    """What `migrate` would do, and what `status` reports."""

    pending_migrations: list[str]
    applied_migrations: list[str]
    objects_to_apply: list[tuple[SqlObject, str]]  # (object, reason: new | changed | drifted)
    orphaned_objects: list[str]

    @property
    def up_to_date(self) -> bool:
        return not (self.pending_migrations or self.objects_to_apply)


def plan(url: str | None = None) -> Plan:
    url = db.resolve_url(url)
    with _yoyo(url) as (backend, migrations):
        pending = [m.id for m in backend.to_apply(migrations)]
        applied_hashes = set(backend.get_applied_migration_hashes())
    applied = [m.id for m in migrations if m.hash in applied_hashes]
    objects = load_objects()
    with db.connection(url, autocommit=True) as conn:
        recorded = _recorded(conn)
        todo = []
        for obj in objects:
            if obj.path not in recorded:
                todo.append((obj, 'new'))
            elif recorded[obj.path][0] != obj.checksum:
                todo.append((obj, 'changed'))
            elif fingerprint(conn, obj) != recorded[obj.path][1]:
                todo.append((obj, 'drifted'))
    orphaned = sorted(set(recorded) - {o.path for o in objects})
    return Plan(pending, applied, todo, orphaned)


# -- commands ----------------------------------------------------------------------------------
def _apply_object(conn: psycopg.Connection, obj: SqlObject) -> None:
    with conn.transaction():
        conn.execute(f'set local role {config.OWNER_ROLE}')
        # check_function_bodies stays on: a file that does not compile fails here, not at first call.
        conn.execute(obj.text)
        conn.execute('reset role')
        conn.execute(
            """
            insert into ops.sql_objects (path, checksum)
            values (%s, %s)
            on conflict (path) do update
                set checksum = excluded.checksum, fingerprint = null, applied_at = now()
            """,
            [obj.path, obj.checksum],
        )


def _record_fingerprints(conn: psycopg.Connection, objects: Iterable[SqlObject]) -> None:
    """After all files are in (the fingerprint function is one of them), record what each deployed."""
    with conn.transaction():
        for obj in objects:
            conn.execute(
                'update ops.sql_objects set fingerprint = %s where path = %s',
                [fingerprint(conn, obj), obj.path],
            )


def _forget_orphans(conn: psycopg.Connection, paths: Iterable[str]) -> None:
    paths = list(paths)
    if paths:
        conn.execute('delete from ops.sql_objects where path = any(%s)', [paths])


def migrate(url: str | None = None, *, dry_run: bool = False, echo=print) -> Plan:
    """Bring the database to what migrations/ and sql/ say. Safe to run twice or concurrently."""
    url = db.resolve_url(url)
    with _migrate_lock(url):
        todo = plan(url)
        if dry_run:
            for mid in todo.pending_migrations:
                echo(f'would apply migration {mid}')
            if todo.pending_migrations:
                # Objects can only be judged against the schema the migrations produce.
                echo('would then re-apply every sql/ object whose checksum or definition changed')
            for obj, why in todo.objects_to_apply:
                echo(f'would apply sql/{obj.path} ({why})')
            if todo.up_to_date:
                echo('nothing to do')
            return todo
        with _yoyo(url) as (backend, migrations):
            pending = backend.to_apply(migrations)
            for m in pending:
                echo(f'applying migration {m.id}')
            backend.apply_migrations(pending)
        if todo.pending_migrations:
            # Objects are judged against the schema the migrations just produced.
            after = plan(url)
            todo = Plan(
                todo.pending_migrations,
                after.applied_migrations,
                after.objects_to_apply,
                after.orphaned_objects,
            )
        with db.connection(url) as conn:
            for obj, why in todo.objects_to_apply:
                echo(f'applying sql/{obj.path} ({why})')
                _apply_object(conn, obj)
            _record_fingerprints(conn, [obj for obj, _ in todo.objects_to_apply])
            with conn.transaction():
                _forget_orphans(conn, todo.orphaned_objects)
        # Every registered partition set gets its default and the children it lacks (§6).
        for script in partitions.ensure(url, echo=lambda _script: None):
            echo(f'partitions: {script.splitlines()[0].removeprefix("-- ")}')
        return todo


def rollback(url: str | None = None, *, steps: int = 1, echo=print) -> list[str]:
    """Roll back the newest `steps` applied migrations (run `migrate` to re-apply sql/ objects)."""
    url = db.resolve_url(url)
    with _migrate_lock(url), _yoyo(url) as (backend, migrations):
        targets = list(backend.to_rollback(migrations))[:steps]
        for m in targets:
            echo(f'rolling back migration {m.id}')
            backend.rollback_one(m)
    return [m.id for m in targets]


@contextmanager
def _migrate_lock(url: str):
    """Serialise migrate and rollback runs on one database (a session-level advisory lock)."""
    with db.connection(url, autocommit=True) as lock_conn:
        lock_conn.execute('select pg_advisory_lock(hashtextextended(%s, 0))', [MIGRATE_LOCK_KEY])
        try:
            yield
        finally:
            lock_conn.execute('select pg_advisory_unlock(hashtextextended(%s, 0))', [MIGRATE_LOCK_KEY])
