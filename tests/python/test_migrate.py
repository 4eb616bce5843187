"""tradebase migrate / rollback / status: ordering, idempotence, concurrency, drift, round trips."""

import shutil
import subprocess
import threading
import uuid

import psycopg
import pytest

from tradebase import config, db, migrate
from tradebase.cluster import find_bindir

QUIET = {'echo': lambda *_: None}


@pytest.fixture
def fresh_db(server_url):
    """An empty database (no migrations applied)."""
    name = f'tb_fresh_{uuid.uuid4().hex[:10]}'
    url = db.create_database(server_url, name, template='template0')
    yield url
    db.drop_database(server_url, name)


def schema_dump(url: str) -> str:
    out = subprocess.run(
        [
            str(find_bindir() / 'pg_dump'),
            '--schema-only',
            '--exclude-table=_yoyo*',
            '--exclude-table=yoyo_lock',
            '--dbname',
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    # Version banners and the per-dump random \restrict key are not schema.
    noise = ('-- Dumped', '\\restrict', '\\unrestrict')
    return '\n'.join(line for line in out.stdout.splitlines() if not line.startswith(noise))


def test_migrate_twice_is_a_no_op(fresh_db):
    first = migrate.migrate(fresh_db, **QUIET)
    assert '0001_foundation' in first.pending_migrations
    assert first.objects_to_apply
    lines = []
    second = migrate.migrate(fresh_db, echo=lines.append)
    assert second.up_to_date
    assert lines == []
    assert migrate.plan(fresh_db).up_to_date


def test_concurrent_migrate_runs_serialise(fresh_db):
    errors = []

    def run():
        try:
            migrate.migrate(fresh_db, **QUIET)
        except Exception as err:
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert migrate.plan(fresh_db).up_to_date
    with psycopg.connect(fresh_db) as conn:
        rows = conn.execute('select count(*) from ops.sql_objects').fetchone()[0]
    assert rows == len(migrate.load_objects())


def test_dry_run_prints_and_changes_nothing(fresh_db):
    lines = []
    migrate.migrate(fresh_db, dry_run=True, echo=lines.append)
    assert 'would apply migration 0001_foundation' in lines
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("select to_regnamespace('app')").fetchone()[0] is None
    migrate.migrate(fresh_db, **QUIET)
    lines = []
    migrate.migrate(fresh_db, dry_run=True, echo=lines.append)
    assert lines == ['nothing to do']


def test_status_reports_drift_and_migrate_repairs_it(fresh_db):
    migrate.migrate(fresh_db, **QUIET)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute(
            "create or replace function app.is_admin() returns boolean language sql as 'select true'"
        )
    plan = migrate.plan(fresh_db)
    assert [(o.path, why) for o, why in plan.objects_to_apply] == [
        ('app/is_admin.sql', 'drifted'),
        ('app/grants.sql', 'regrant'),
    ]
    migrate.migrate(fresh_db, **QUIET)
    assert migrate.plan(fresh_db).up_to_date
    with psycopg.connect(fresh_db) as conn:
        src = conn.execute(
            "select prosrc from pg_proc where oid = 'app.is_admin()'::regprocedure"
        ).fetchone()[0]
    assert 'pg_has_role' in src


def test_an_aggregate_is_an_object_whose_drift_is_seen(fresh_db):
    migrate.migrate(fresh_db, **QUIET)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute('drop aggregate analytics.return_metrics_agg(double precision)')
    plan = migrate.plan(fresh_db)
    assert [(o.path, why) for o, why in plan.objects_to_apply] == [
        ('analytics/return_metrics_agg.sql', 'drifted'),
        ('analytics/grants.sql', 'regrant'),
    ]
    migrate.migrate(fresh_db, **QUIET)
    assert migrate.plan(fresh_db).up_to_date


def test_an_object_dropped_and_re_created_gets_its_grants_back(fresh_db):
    """A file that drops its function first (a new return type) or a migration's cascade loses the grants
    of grants.sql, which did not change: migrate re-applies the grants of every schema it touches."""
    migrate.migrate(fresh_db, **QUIET)
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute('drop function api.cancel_order(uuid)')
    plan = migrate.plan(fresh_db)
    assert [(o.path, why) for o, why in plan.objects_to_apply] == [
        ('api/cancel_order.sql', 'drifted'),
        ('api/grants.sql', 'regrant'),
    ]
    migrate.migrate(fresh_db, **QUIET)
    assert migrate.plan(fresh_db).up_to_date
    with psycopg.connect(fresh_db) as conn:
        granted = conn.execute(
            "select has_function_privilege('tradebase_app', 'api.cancel_order(uuid)', 'execute')"
        ).fetchone()[0]
    assert granted


def test_changed_new_and_removed_files(fresh_db, tmp_path, monkeypatch):
    migrate.migrate(fresh_db, **QUIET)
    sql_dir = tmp_path / 'sql'
    shutil.copytree(config.SQL_DIR, sql_dir)
    monkeypatch.setattr(config, 'SQL_DIR', sql_dir)
    (sql_dir / 'app' / 'is_admin.sql').write_text(
        (sql_dir / 'app' / 'is_admin.sql').read_text().replace('stable', 'stable\nparallel safe')
    )
    (sql_dir / 'app' / 'answer.sql').write_text(
        "create or replace function app.answer() returns int language sql immutable as 'select 42';\n"
        "comment on function app.answer() is 'The answer.';\n"
    )
    (sql_dir / 'ops' / 'user_data_schemas.sql').unlink()
    (sql_dir / 'ops' / 'catalog_lint.sql').write_text(
        (sql_dir / 'ops' / 'catalog_lint.sql').read_text().replace(' ops/user_data_schemas.sql', '')
    )
    plan = migrate.plan(fresh_db)
    reasons = {o.path: why for o, why in plan.objects_to_apply}
    assert reasons == {
        'app/is_admin.sql': 'changed',
        'app/answer.sql': 'new',
        'ops/catalog_lint.sql': 'changed',
        'app/grants.sql': 'regrant',
        'ops/grants.sql': 'regrant',
    }
    assert plan.orphaned_objects == ['ops/user_data_schemas.sql']
    migrate.migrate(fresh_db, **QUIET)
    after = migrate.plan(fresh_db)
    assert after.up_to_date and after.orphaned_objects == []
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute('select app.answer()').fetchone()[0] == 42


def test_object_order_follows_schemas_depends_and_grants():
    paths = [o.path for o in migrate.load_objects()]
    rank = {s: i for i, s in enumerate(config.SCHEMA_ORDER)}
    assert [rank[p.split('/')[0]] for p in paths] == sorted(rank[p.split('/')[0]] for p in paths)
    for obj in migrate.load_objects():
        for dep in obj.depends:
            assert paths.index(dep) < paths.index(obj.path), f'{obj.path} before its dependency {dep}'
    for schema in config.SCHEMA_ORDER:
        in_schema = [p for p in paths if p.startswith(schema + '/')]
        if f'{schema}/grants.sql' in in_schema:
            assert in_schema[-1] == f'{schema}/grants.sql'


def test_bad_dependencies_are_reported(tmp_path):
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / 'a.sql').write_text('-- depends: app/b.sql\nselect 1;\n')
    (tmp_path / 'app' / 'b.sql').write_text('-- depends: app/a.sql\nselect 1;\n')
    with pytest.raises(ValueError, match='cycle'):
        migrate.load_objects(tmp_path)
    (tmp_path / 'app' / 'b.sql').write_text('-- depends: app/missing.sql\nselect 1;\n')
    with pytest.raises(ValueError, match='missing file'):
        migrate.load_objects(tmp_path)
    (tmp_path / 'app' / 'b.sql').write_text('select 1;\n')
    (tmp_path / 'nowhere').mkdir()
    with pytest.raises(ValueError, match='SCHEMA_ORDER'):
        migrate.load_objects(tmp_path)


def test_object_files_declare_what_they_define():
    defines = {o.path: o.defines for o in migrate.load_objects()}
    assert defines['app/raise_error.sql'] == (('function', 'app.raise_error', None),)
    assert defines['app/grants.sql'] == ()
    assert ('aggregate', 'analytics.return_metrics_agg', None) in defines['analytics/return_metrics_agg.sql']


def round_trip(url: str) -> dict[str, str]:
    """Dumps of: migrated, fully rolled back, migrated again."""
    migrate.migrate(url, **QUIET)
    up = schema_dump(url)
    applied = migrate.plan(url).applied_migrations
    migrate.rollback(url, steps=len(applied), **QUIET)
    down = schema_dump(url)
    migrate.migrate(url, **QUIET)
    return {'up': up, 'down': down, 'up_again': schema_dump(url)}


def test_up_down_up_gives_the_same_schema(fresh_db, server_url):
    empty = schema_dump(fresh_db)
    dumps = round_trip(fresh_db)
    assert dumps['down'] == empty, 'rolling every migration back leaves objects behind'
    assert dumps['up_again'] == dumps['up']


def test_round_trip_gate_catches_a_leaky_rollback(fresh_db, tmp_path, monkeypatch):
    migrations = tmp_path / 'migrations'
    shutil.copytree(config.MIGRATIONS_DIR, migrations)
    (migrations / '9999_leaky.sql').write_text('create table public.leftover (id int);\n')
    (migrations / '9999_leaky.rollback.sql').write_text('select 1;\n')
    monkeypatch.setattr(config, 'MIGRATIONS_DIR', migrations)
    empty = schema_dump(fresh_db)
    migrate.migrate(fresh_db, **QUIET)
    migrate.rollback(fresh_db, steps=2, **QUIET)
    assert schema_dump(fresh_db) != empty


def test_rollback_steps(fresh_db):
    migrate.migrate(fresh_db, **QUIET)
    assert migrate.rollback(fresh_db, steps=1, **QUIET) == [migrate.plan(fresh_db).pending_migrations[0]]


def test_migrate_as_a_createrole_user(fresh_db, server_url):
    """An existing server where the operator is not a superuser, only CREATEROLE and database owner."""
    role = f'tb_migrator_{uuid.uuid4().hex[:6]}'
    name = f'tb_owned_{uuid.uuid4().hex[:8]}'
    with db.connection(server_url, autocommit=True) as conn:
        conn.execute(f'create role {role} login createrole')
        conn.execute(f'create database {name} owner {role} template template0')
    try:
        url = db.with_dbname(server_url, name).replace('postgres@', f'{role}@', 1)
        migrate.migrate(url, **QUIET)
        assert migrate.plan(url).up_to_date
        with psycopg.connect(url) as conn:
            assert conn.execute('select count(*) from ops.catalog_lint()').fetchone()[0] == 0
    finally:
        db.drop_database(server_url, name)
        with db.connection(server_url, autocommit=True) as conn:
            conn.execute(f'drop owned by {role}')
            conn.execute(f'drop role {role}')


def test_schema_order_matches_the_database(conn):
    assert tuple(conn.execute('select unnest(ops.project_schemas())').fetchall()) == tuple(
        (s,) for s in config.SCHEMA_ORDER
    )


def test_each_rollback_restores_the_schema_its_migration_started_from(fresh_db):
    # The full round trip above ends with every table dropped, so a rollback that restores the wrong
    # form of a constraint (one once restored an older form of a lot check than the one its migration
    # replaced) passes it.
    # Migrations alone, one at a time: the schema before each, then each rollback in turn.
    with migrate._yoyo(fresh_db) as (backend, migrations):
        before = []
        for m in backend.to_apply(migrations):
            before.append((m.id, schema_dump(fresh_db)))
            backend.apply_one(m)
        for m in backend.to_rollback(migrations):
            backend.rollback_one(m)
            mid, schema = before.pop()
            assert m.id == mid
            assert schema_dump(fresh_db) == schema, f'rolling back {mid} leaves another schema than before it'
        assert before == []
