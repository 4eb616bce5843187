"""Migrations (yoyo, state) and repeatable SQL objects (sql/, behaviour), with drift detection.

`migrate` is one deploy in **one transaction** (PostgreSQL's DDL is transactional), on one connection
that holds a session advisory lock for the whole run, so two concurrent runs serialise and the second
finds nothing to do. Inside that transaction:

1. every pending file of migrations/ is applied by yoyo, each in a savepoint, and recorded in yoyo's
   tables (`_yoyo_migration`, `_yoyo_log`), so `rollback` and `status` read the usual bookkeeping;
2. every sql/ file whose checksum changed, that is new, or whose deployed definition no longer
   matches what was recorded (drift, or dropped by a rollback) is applied in dependency order as
   `tradebase_owner`, and recorded in `ops.sql_objects` with the fingerprint of what it deployed;
3. `partitions.ensure_set` gives every registered partitioned table its default and missing children.

A failure anywhere rolls all of it back: the database keeps the previous version whole, and an app
calling `api` functions meanwhile sees the old definitions until the commit, then the new ones, never
a function missing. `rollback` is one transaction too.

What one transaction cannot do alone is protect a call that is *in flight* at the commit: an old function
body, already running, that reaches a table the deploy altered or dropped after the commit fails (a
deadlock, or "attribute number exceeds number of columns"). A deploy that changes anything therefore
first takes the deploy barrier (config.DEPLOY_BARRIER_KEY) exclusively; a transaction that takes it shared at
its start runs wholly before or wholly after the deploy (tests/python/test_deploy.py).

yoyo normally opens a second connection per migration and commits each one; `_Backend` keeps yoyo's
bookkeeping but runs the migrations on the connection it was given (opened by `db`), inside the
caller's transaction. A migration marked `-- transactional: false` cannot be part of such a deploy
and is refused.

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

import psycopg
from psycopg.conninfo import conninfo_to_dict
from yoyo import internalmigrations, read_migrations
from yoyo.backends.core.postgresql import PostgresqlPsycopgBackend
from yoyo.connections import DatabaseURI
from yoyo.migrations import default_migration_table

from . import cluster, config, db, partitions

MIGRATE_LOCK_KEY = 'tradebase.migrate'
YOYO_LOCK_KEY = 'tradebase.migrate.yoyo'
#: How long a deploy waits for the transactions that hold the barrier (shared) before it gives up.
DEPLOY_BARRIER_TIMEOUT = '10s'

_DEPENDS_RE = re.compile(r'^--\s*depends:\s*(.+)$', re.MULTILINE)
_NAME = r'((?:"[^"]+"|[a-z_][a-z0-9_$]*)(?:\.(?:"[^"]+"|[a-z_][a-z0-9_$]*))?)'
_DEFINES_RE = re.compile(
    r'^\s*create\s+(?:or\s+replace\s+)?(?:constraint\s+)?'
    r'(function|procedure|aggregate|view|materialized\s+view|trigger|policy)\s+(?:if\s+not\s+exists\s+)?'
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
class _Backend(PostgresqlPsycopgBackend):
    """yoyo's PostgreSQL backend on one connection opened by `db`, which also runs the migrations.

    Outside a transaction it behaves as yoyo does (each migration commits on its own). Inside
    `_deploy` yoyo sees a transaction in progress and turns its own transactions into savepoints, so
    migrations, their bookkeeping and everything else of the deploy commit or roll back together.
    """

    def __init__(self, url: str):
        self._url = url
        params = conninfo_to_dict(url)
        uri = DatabaseURI(
            scheme='postgresql+psycopg',
            username=params.get('user'),
            password=params.get('password'),
            hostname=params.get('host'),
            port=params.get('port'),
            database=params.get('dbname'),
            args={},
        )
        super().__init__(uri, default_migration_table)
        # PostgreSQL's DDL is transactional; yoyo would otherwise probe it with a scratch table.
        self.has_transactional_ddl = True
        # The migrate lock (an advisory lock, see _locked) serialises runs; yoyo's lock table is not used.
        self._is_locked = True

    def connect(self, dburi):
        return db.connect(self._url, autocommit=True)

    def ensure_internal_schema_updated(self):
        """yoyo's own tables, created or upgraded once (in their own transaction, under an advisory lock:
        `status` may run beside a `migrate` on a database that has none yet)."""
        if self._internal_schema_updated:
            return
        if internalmigrations.needs_upgrading(self):
            if self._in_transaction:
                raise RuntimeError("yoyo's tables must exist before a deploy transaction starts")
            with self.transaction():
                lock = 'select pg_advisory_xact_lock(hashtextextended(:key, 0))'
                self.execute(lock, {'key': YOYO_LOCK_KEY})
                if internalmigrations.needs_upgrading(self):
                    internalmigrations.upgrade(self)
        self._internal_schema_updated = True

    def _run(self, migration, direction: str) -> None:
        migration.load()
        if not migration.use_transactions:
            raise ValueError(
                f'migration {migration.id} is marked transactional: false; tradebase deploys every '
                'migration in one transaction, so do that work outside a migration'
            )
        migration.process_steps(self, direction)
        # A migration's `set local role tradebase_owner` ends with it, as if it had its own transaction.
        self.execute('reset role')
        self.log_migration(migration, direction)

    def apply_one(self, migration, force=False, mark=True):
        self._run(migration, 'apply')
        if mark:
            with self.transaction():
                self.mark_one(migration, log=False)

    def rollback_one(self, migration, force=False):
        self._run(migration, 'rollback')
        with self.transaction():
            self.unmark_one(migration, log=False)


@contextmanager
def _yoyo(url: str):
    """yoyo's backend on a new connection, and the migrations; the connection is closed afterwards."""
    backend = _Backend(url)
    try:
        backend.ensure_internal_schema_updated()
        yield backend, read_migrations(str(config.MIGRATIONS_DIR))
    finally:
        backend.connection.close()


@contextmanager
def _deploy(backend: _Backend, *, barrier: bool = True):
    """One transaction on the backend's connection: yoyo's transactions inside it become savepoints.
    With `barrier`, it first waits (at most DEPLOY_BARRIER_TIMEOUT) for the deploy barrier."""
    conn = backend.connection
    with conn.transaction():
        if barrier:
            previous = conn.execute('show lock_timeout').fetchone()[0]
            conn.execute("select set_config('lock_timeout', %s, true)", [DEPLOY_BARRIER_TIMEOUT])
            try:
                conn.execute(
                    'select pg_advisory_xact_lock(hashtextextended(%s, 0))', [config.DEPLOY_BARRIER_KEY]
                )
            except psycopg.errors.LockNotAvailable as err:
                err.add_note(
                    f'transactions held the deploy barrier for more than {DEPLOY_BARRIER_TIMEOUT} '
                    '(one left open?); nothing was changed, run migrate again'
                )
                raise
            conn.execute("select set_config('lock_timeout', %s, true)", [previous])
        backend._in_transaction = True
        try:
            yield conn
        finally:
            backend._in_transaction = False


@contextmanager
def _locked(url: str):
    """A yoyo session whose connection holds the migrate lock (session-level advisory lock) throughout:
    migrate and rollback runs on one database serialise."""
    with _yoyo(url) as (backend, migrations):
        conn = backend.connection
        conn.execute('select pg_advisory_lock(hashtextextended(%s, 0))', [MIGRATE_LOCK_KEY])
        try:
            yield backend, migrations
        finally:
            if not conn.closed:
                conn.execute('select pg_advisory_unlock(hashtextextended(%s, 0))', [MIGRATE_LOCK_KEY])


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


def _plan(backend: _Backend, migrations) -> Plan:
    """The plan, read on the backend's connection (inside a deploy it sees the deploy's own work)."""
    conn = backend.connection
    pending = [m.id for m in backend.to_apply(migrations)]
    applied_hashes = set(backend.get_applied_migration_hashes())
    applied = [m.id for m in migrations if m.hash in applied_hashes]
    objects = load_objects()
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
    return Plan(pending, applied, _with_grants(objects, todo), orphaned)


def _with_grants(objects: list[SqlObject], todo: list[tuple[SqlObject, str]]) -> list[tuple[SqlObject, str]]:
    """TODO plus the grants.sql of every schema it re-applies an object of, in object order: a file that
    drops and re-creates its function (a new return type), or a migration's cascade, loses the grants."""
    reasons = {obj.path: why for obj, why in todo}
    touched = {path.split('/')[0] for path in reasons if not path.endswith('/grants.sql')}
    for obj in objects:
        schema = obj.path.split('/')[0]
        if obj.path == f'{schema}/grants.sql' and schema in touched:
            reasons.setdefault(obj.path, 'regrant')
    return [(obj, reasons[obj.path]) for obj in objects if obj.path in reasons]


def plan(url: str | None = None) -> Plan:
    """What `migrate` would do now (objects judged against the current schema)."""
    with _yoyo(cluster.resolve_url(url)) as (backend, migrations):
        return _plan(backend, migrations)


def describe(plan: Plan) -> list[str]:
    """`tradebase status`'s report of a plan, one line each."""
    lines = [f'migrations applied: {len(plan.applied_migrations)}, pending: {len(plan.pending_migrations)}']
    lines += [f'  pending   {mid}' for mid in plan.pending_migrations]
    lines.append(f'sql objects to apply: {len(plan.objects_to_apply)}')
    lines += [f'  {why:<9} sql/{obj.path}' for obj, why in plan.objects_to_apply]
    lines += [
        f'  orphaned  sql/{path} (file removed; the deployed object stays until dropped)'
        for path in plan.orphaned_objects
    ]
    lines.append('status: up to date' if plan.up_to_date else 'status: run `tradebase migrate`')
    return lines


# -- commands ----------------------------------------------------------------------------------
def _apply_object(conn: psycopg.Connection, obj: SqlObject) -> None:
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
    for obj in objects:
        conn.execute(
            'update ops.sql_objects set fingerprint = %s where path = %s',
            [fingerprint(conn, obj), obj.path],
        )


def _forget_orphans(conn: psycopg.Connection, paths: Iterable[str]) -> None:
    paths = list(paths)
    if paths:
        conn.execute('delete from ops.sql_objects where path = any(%s)', [paths])


def _echo_dry_run(todo: Plan, echo) -> None:
    for mid in todo.pending_migrations:
        echo(f'would apply migration {mid}')
    if todo.pending_migrations:
        # Objects can only be judged against the schema the migrations produce.
        echo('would then re-apply every sql/ object whose checksum or definition changed')
    for obj, why in todo.objects_to_apply:
        echo(f'would apply sql/{obj.path} ({why})')
    if todo.up_to_date:
        echo('nothing to do')


def migrate(url: str | None = None, *, dry_run: bool = False, echo=print) -> Plan:
    """Bring the database to what migrations/ and sql/ say, in one transaction: all of it or, on any
    error, nothing. Safe to run twice or concurrently."""
    url = cluster.resolve_url(url)
    with _locked(url) as (backend, migrations):
        todo = _plan(backend, migrations)
        if dry_run:
            _echo_dry_run(todo, echo)
            return todo
        try:
            with _deploy(backend, barrier=not todo.up_to_date) as conn:
                for m in backend.to_apply(migrations):
                    echo(f'applying migration {m.id}')
                    backend.apply_one(m)
                if todo.pending_migrations:
                    # Objects are judged against the schema the migrations just produced.
                    after = _plan(backend, migrations)
                    todo = Plan(
                        todo.pending_migrations,
                        after.applied_migrations,
                        after.objects_to_apply,
                        after.orphaned_objects,
                    )
                for obj, why in todo.objects_to_apply:
                    echo(f'applying sql/{obj.path} ({why})')
                    try:
                        _apply_object(conn, obj)
                    except psycopg.Error as err:
                        err.add_note(f'while applying sql/{obj.path}')
                        raise
                _record_fingerprints(conn, [obj for obj, _ in todo.objects_to_apply])
                _forget_orphans(conn, todo.orphaned_objects)
                # Every registered partition set gets its default and the children it lacks (§6).
                for pset in partitions.registered(conn):
                    for script in partitions.ensure_set(conn, pset):
                        echo(f'partitions: {script.splitlines()[0].removeprefix("-- ")}')
                _schedule_jobs(conn, echo, quiet=not todo.pending_migrations)
        except Exception:
            echo('migrate failed and was rolled back: the database is as it was before')
            raise
        return todo


def _schedule_jobs(conn: psycopg.Connection, echo, *, quiet: bool) -> None:
    """pg_cron entries for ops.jobs (ops.schedule_jobs: idempotent, runs as this session's user). Changes
    are echoed; why pg_cron does not run the jobs here only when the deploy applied migrations."""
    if conn.execute("select to_regprocedure('ops.schedule_jobs()')").fetchone()[0] is None:
        return
    for job, action in conn.execute('select job_name, action from ops.schedule_jobs()'):
        if job is None and action.startswith('skipped') and quiet:
            continue
        echo(f'jobs: {job}: {action}' if job else f'jobs: {action}')


def rollback(url: str | None = None, *, steps: int = 1, echo=print) -> list[str]:
    """Roll back the newest `steps` applied migrations, in one transaction (run `migrate` to re-apply
    sql/ objects)."""
    url = cluster.resolve_url(url)
    with _locked(url) as (backend, migrations), _deploy(backend):
        targets = list(backend.to_rollback(migrations))[:steps]
        for m in targets:
            echo(f'rolling back migration {m.id}')
            backend.rollback_one(m)
    return [m.id for m in targets]
