"""`make test` installs what a fresh machine lacks before it runs anything (scripts/install_prerequisites.sh).

The script is run against a staged bare machine (TB_PREREQ_ROOT: an empty directory, so nothing is
installed) with stand-ins for `apt-get` and `id` first on PATH, so no package is really installed.
"""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / 'scripts' / 'install_prerequisites.sh'
PACKAGES = [
    'postgresql-15',
    'postgresql-client-15',
    'postgresql-15-pgtap',
    'postgresql-15-plpgsql-check',
    'postgresql-15-cron',
]


def _stage(tmp_path: Path, uid: int) -> tuple[dict[str, str], Path]:
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    calls = tmp_path / 'apt-calls'
    (bin_dir / 'apt-get').write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    (bin_dir / 'id').write_text(f'#!/bin/sh\necho {uid}\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    machine = tmp_path / 'machine'
    machine.mkdir()
    env = {**os.environ, 'PATH': f'{bin_dir}:{os.environ["PATH"]}', 'TB_PREREQ_ROOT': str(machine)}
    return env, calls


def test_make_test_runs_the_install_step_before_anything_else():
    out = subprocess.run(
        ['make', '-n', '--no-print-directory', 'test'], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    commands = [line for line in out if line.strip()]
    assert commands[0] == 'bash scripts/install_prerequisites.sh', commands
    assert any('pytest' in line for line in commands[1:]), commands


def test_ci_only_calls_make_test():
    lines = [
        line.strip()
        for line in (ROOT / '.ci' / 'run').read_text().splitlines()
        if line.strip() and not line.lstrip().startswith('#')
    ]
    assert 'make test' in lines
    assert not any('apt-get' in line for line in lines)


def test_as_root_the_missing_packages_are_installed_with_apt_get(tmp_path):
    env, calls = _stage(tmp_path, uid=0)
    run = subprocess.run(['bash', str(SCRIPT)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    apt = calls.read_text().splitlines()
    assert apt[0] == 'update -qq'
    assert apt[1].split()[:3] == ['install', '-y', '-qq']
    assert apt[1].split()[3:] == PACKAGES


def test_as_another_user_it_stops_and_prints_the_one_command(tmp_path):
    env, calls = _stage(tmp_path, uid=1000)
    run = subprocess.run(['bash', str(SCRIPT)], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert f'apt-get install -y {" ".join(PACKAGES)}' in run.stderr
    assert not calls.exists()


def test_nothing_is_installed_when_nothing_is_missing(tmp_path):
    env, calls = _stage(tmp_path, uid=0)
    machine = Path(env['TB_PREREQ_ROOT'])
    initdb = machine / 'usr/lib/postgresql/15/bin/initdb'
    initdb.parent.mkdir(parents=True)
    initdb.write_text('')
    initdb.chmod(0o755)
    ext = machine / 'usr/share/postgresql/15/extension'
    ext.mkdir(parents=True)
    for name in ('pgtap', 'plpgsql_check', 'pg_cron'):
        (ext / f'{name}.control').write_text('')
    run = subprocess.run(['bash', str(SCRIPT)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert not calls.exists()
