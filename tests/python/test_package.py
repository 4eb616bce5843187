"""The package as a maintainer and an installer meet it: its modules import each other without a cycle,
every connection is opened through tradebase.db, and a wheel built from the checkout carries sql/,
migrations/ and the templates, installs into a fresh virtual environment and migrates a server from
outside the checkout."""

import ast
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from tradebase import config, db, migrate

PACKAGE = Path(migrate.__file__).parent
MODULES = {p.stem: p for p in PACKAGE.glob('*.py')}


def imports(path: Path) -> set[str]:
    """The package's modules that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith('tradebase.')]
            found |= {n.split('.')[1] for n in names}
        elif isinstance(node, ast.ImportFrom):
            relative_to_package = node.level == 1 or (node.level == 0 and node.module == 'tradebase')
            if relative_to_package and node.module in (None, 'tradebase'):
                found |= {a.name for a in node.names}  # from . import a, b
            elif node.level == 1:
                found.add(node.module.split('.')[0])  # from .a import x
            elif node.level == 0 and (node.module or '').startswith('tradebase.'):
                found.add(node.module.split('.')[1])  # from tradebase.a import x
    return found & set(MODULES)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_modules_import_each_other_without_a_cycle():
    graph = {name: imports(path) for name, path in MODULES.items()}
    assert graph['cli'] >= {'migrate', 'cluster'}  # the parser sees what is there
    assert graph['demo'] >= {'migrate', 'client', 'db'}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one():
    assert cycles({'cli': {'demo'}, 'demo': {'cli', 'db'}, 'db': set()}) == [['cli', 'demo']]


def connects(path: Path) -> list[str]:
    """Where `path` opens a connection itself: psycopg.connect, a Connection's connect, psycopg_pool."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module in ('psycopg', 'psycopg_pool'):
            names = {a.name for a in node.names}
            if node.module == 'psycopg_pool' or names & {'connect', 'Connection', 'AsyncConnection'}:
                found.append(f'line {node.lineno}: from {node.module} import {", ".join(sorted(names))}')
        elif isinstance(node, ast.Import) and any(a.name == 'psycopg_pool' for a in node.names):
            found.append(f'line {node.lineno}: import psycopg_pool')
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == 'connect'
        ):
            target = ast.unparse(node.func.value)
            if target.startswith('psycopg'):
                found.append(f'line {node.lineno}: {target}.connect(...)')
    return found


def test_every_connection_is_opened_in_db():
    opened = {name: connects(path) for name, path in MODULES.items() if name != 'db'}
    assert {name: where for name, where in opened.items() if where} == {}
    assert connects(MODULES['db'])  # the one place that does


def test_the_connection_finder_finds_them(tmp_path):
    module = tmp_path / 'm.py'
    module.write_text(
        'import psycopg\nfrom psycopg import Connection\n'
        'psycopg.connect("x")\nConnection.connect("x")\npsycopg.Connection.connect("x")\n'
    )
    assert len(connects(module)) == 3


# -- the wheel -------------------------------------------------------------------------------------
def data_files(root: Path) -> set[str]:
    """What the wheel must carry, as paths inside the package."""
    files = {f'sql/{p.relative_to(root / "sql").as_posix()}' for p in (root / 'sql').rglob('*.sql')}
    files |= {f'sql/templates/{p.name}' for p in (root / 'sql' / 'templates').glob('*.sql.j2')}
    files |= {f'migrations/{p.name}' for p in (root / 'migrations').glob('*.sql')}
    return files


def run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False, **kwargs)
    assert out.returncode == 0, f'{cmd} exited {out.returncode}:\n{out.stdout}\n{out.stderr}'
    return out


@pytest.mark.slow
def test_a_wheel_installs_outside_the_checkout_and_migrates_a_server(tmp_path, server_url):
    assert config.ROOT is not None, 'run from the checkout'
    # Build from a copy of what the wheel is made of, so the checkout gets no build/ directory and
    # no stale file from an earlier build can slip in.
    src = tmp_path / 'src'
    src.mkdir()
    shutil.copy(config.ROOT / 'pyproject.toml', src)
    for tree in ('python', 'sql', 'migrations'):
        shutil.copytree(
            config.ROOT / tree, src / tree, ignore=shutil.ignore_patterns('__pycache__', '*.egg-info')
        )
    wheels = tmp_path / 'wheels'
    run([sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--wheel-dir', wheels, src])
    [wheel] = wheels.glob('tradebase-*.whl')
    carried = {n.removeprefix('tradebase/') for n in zipfile.ZipFile(wheel).namelist()}
    assert data_files(config.ROOT) <= carried
    assert data_files(config.ROOT)  # the comparison above is not vacuous

    venv = tmp_path / 'venv'
    run([sys.executable, '-m', 'venv', venv])
    run([venv / 'bin' / 'python', '-m', 'pip', 'install', '--quiet', wheel])

    name = f'tb_wheel_{uuid.uuid4().hex[:10]}'
    url = db.create_database(server_url, name, template='template0')
    try:
        elsewhere = tmp_path / 'elsewhere'
        elsewhere.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'TRADEBASE_STATE_DIR')}
        env |= {'DATABASE_URL': url, 'HOME': str(elsewhere)}
        tradebase = venv / 'bin' / 'tradebase'
        where = run(
            [
                venv / 'bin' / 'python',
                '-c',
                'from tradebase import config; print(config.ROOT, config.SQL_DIR)',
            ],
            cwd=elsewhere,
            env=env,
        )
        root, sql_dir = where.stdout.split()
        assert root == 'None' and Path(sql_dir).is_relative_to(venv)
        migrated = run([tradebase, 'migrate'], cwd=elsewhere, env=env)
        assert migrated.stdout.splitlines()[-1] == 'migrated'
        status = run([tradebase, 'status'], cwd=elsewhere, env=env)
        assert status.stdout.splitlines()[-1] == 'status: up to date'
        # What the wheel deployed is what the checkout would: nothing to do from here either.
        assert migrate.plan(url).up_to_date
    finally:
        db.drop_database(server_url, name)
