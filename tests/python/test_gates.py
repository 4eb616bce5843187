"""The static gates of `make test`, each shown to catch a deliberate violation.

plpgsql_check runs here over every PL/pgSQL function of the project schemas (trigger functions
once per table they are attached to, with its transition tables); sqlfluff and ruff run in `make lint`
over the tree, and here against a file that breaks their rules, with the project's own configuration.
"""

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tradebase import config

BIN = Path(sys.executable).parent


def plpgsql_check_errors(conn: psycopg.Connection) -> list[str]:
    """Every error plpgsql_check reports, as 'function: message'; an unattached trigger function counts."""
    rows = conn.execute(
        """
        with fns as (
            select p.oid, p.oid::regprocedure::text as name, p.prorettype = 'trigger'::regtype as is_trigger
            from pg_proc as p
            join pg_language as l on l.oid = p.prolang and l.lanname = 'plpgsql'
            where p.pronamespace::regnamespace::text = any(ops.project_schemas())
        ),
        targets as (
            select f.oid, f.name, 0::oid as relid, null::name as newtable, null::name as oldtable
            from fns as f where not f.is_trigger
            union all
            select f.oid, f.name || ' on ' || t.tgrelid::regclass, t.tgrelid, t.tgnewtable, t.tgoldtable
            from fns as f join pg_trigger as t on t.tgfoid = f.oid
            where f.is_trigger and not t.tgisinternal and t.tgparentid = 0
        )
        select t.name || ': ' || coalesce(c.message, '') || coalesce(' (' || c.query || ')', '')
        from targets as t
        cross join lateral plpgsql_check_function_tb(
            t.oid, t.relid, fatal_errors => false, newtable => t.newtable, oldtable => t.oldtable
        ) as c
        where c.level = 'error'
        union all
        select f.name || ': trigger function attached to no table'
        from fns as f
        where f.is_trigger and not exists (select from pg_trigger as t where t.tgfoid = f.oid)
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def test_plpgsql_check_finds_no_error(conn):
    assert plpgsql_check_errors(conn) == []


def test_plpgsql_check_gate_catches_a_broken_function(conn):
    with conn.transaction(force_rollback=True):
        conn.execute(
            """
            create function ops.broken() returns int language plpgsql as $$
            begin
                return (select no_such_column from ops.sql_objects limit 1);
            end $$
            """
        )
        conn.execute(
            "create function ops.orphan_trigger() returns trigger language plpgsql as 'begin return new; end'"
        )
        errors = plpgsql_check_errors(conn)
    assert any(e.startswith('ops.broken()') and 'no_such_column' in e for e in errors)
    assert 'ops.orphan_trigger(): trigger function attached to no table' in errors


def _run(*cmd: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ('sql', 'clean'),
    [
        ('select 1 as one;\n', True),
        ('SELECT 1 AS one;\n', False),  # upper-case keywords break capitalisation.keywords
    ],
)
def test_sqlfluff_gate(tmp_path, sql, clean):
    target = tmp_path / 'probe.sql'
    target.write_text(sql)
    result = _run(
        str(BIN / 'sqlfluff'), 'lint', '--config', str(config.ROOT / '.sqlfluff'), str(target), cwd=tmp_path
    )
    assert (result.returncode == 0) is clean, result.stdout


@pytest.mark.parametrize(
    ('code', 'clean'),
    [
        ('import os\n\nprint(os.sep)\n', True),
        ('import os\n', False),  # unused import
    ],
)
def test_ruff_gate(tmp_path, code, clean):
    target = tmp_path / 'probe.py'
    target.write_text(code)
    result = _run(
        str(BIN / 'ruff'), 'check', '--config', str(config.ROOT / 'pyproject.toml'), str(target), cwd=tmp_path
    )
    assert (result.returncode == 0) is clean, result.stdout


def test_lint_targets_cover_the_sql_and_python_trees():
    makefile = (config.ROOT / 'Makefile').read_text()
    assert 'sqlfluff lint --processes 2 sql migrations' in makefile
    assert 'ruff check python tests scripts' in makefile
    steps = subprocess.run(
        ['make', '-n', '--no-print-directory', 'test'],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'sqlfluff lint' in steps and 'ruff check' in steps
