"""The throwaway server and the CLI around it, end to end in a private state directory."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tradebase import cluster
from tradebase.cluster import Cluster, ClusterError

TRADEBASE = str(Path(sys.executable).parent / 'tradebase')


def cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != 'DATABASE_URL'}
    env['TRADEBASE_STATE_DIR'] = str(state_dir)
    return subprocess.run(
        [TRADEBASE, *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_db_up_migrate_status_down(tmp_path):
    state = tmp_path / 'state'
    try:
        up = cli(state, 'db', 'up')
        assert up.returncode == 0, up.stderr
        assert 'server running: postgresql://postgres@127.0.0.1:' in up.stdout
        url = cli(state, 'db', 'url').stdout.strip()
        with psycopg.connect(url) as conn:
            assert conn.execute('show fsync').fetchone()[0] == 'off'
            assert conn.execute('show listen_addresses').fetchone()[0] == '127.0.0.1'
        assert cli(state, 'db', 'up').returncode == 0, 'up twice is fine'
        assert cli(state, 'status').returncode == 1, 'nothing migrated yet'
        migrated = cli(state, 'migrate')
        assert migrated.returncode == 0, migrated.stderr
        status = cli(state, 'status')
        assert status.returncode == 0 and 'status: up to date' in status.stdout
        assert 'running on port' in cli(state, 'db', 'status').stdout
    finally:
        down = cli(state, 'db', 'down')
    assert down.stdout.strip() == 'server stopped'
    assert cli(state, 'db', 'status').returncode == 3
    assert cli(state, 'db', 'down').stdout.strip() == 'no server was running'
    url_when_down = cli(state, 'db', 'url')
    assert url_when_down.returncode == 2 and 'tradebase db up' in url_when_down.stderr


def test_missing_server_binaries_name_the_package(monkeypatch):
    monkeypatch.setattr(cluster.shutil, 'which', lambda _name: None)
    monkeypatch.setattr(cluster.glob, 'glob', lambda _pattern: [])
    with pytest.raises(ClusterError, match='apt-get install postgresql-15'):
        cluster.find_bindir()


def test_missing_extension_names_the_package(server_url):
    with pytest.raises(ClusterError, match='apt-get install no_such_ext'):
        cluster.require_extensions(server_url, ('pgtap', 'no_such_ext'))
    cluster.require_extensions(server_url)  # pgTAP and plpgsql_check are installed


def test_server_runs_as_the_postgres_user_when_root(server_url):
    with psycopg.connect(server_url) as conn:
        data_dir = conn.execute('show data_directory').fetchone()[0]
    owner = Path(data_dir).stat().st_uid
    if os.geteuid() == 0:
        import pwd

        assert owner == pwd.getpwnam(cluster.SERVER_USER).pw_uid
    else:
        assert owner == os.geteuid()


def test_url_of_a_stopped_cluster_says_how_to_start(tmp_path):
    with pytest.raises(ClusterError, match='tradebase db up'):
        Cluster(tmp_path).url()
