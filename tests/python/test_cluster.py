"""The throwaway server and the CLI around it, end to end in a private state directory."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tradebase import cluster, config
from tradebase.cluster import (
    DURABLE_SETTINGS,
    FAST_SETTINGS,
    INCLUDE_LINE,
    SETTINGS_FILE,
    Cluster,
    ClusterError,
)

TRADEBASE = str(Path(sys.executable).parent / 'tradebase')

# What an older tradebase appended to postgresql.conf at initdb, and all it wrote: no tradebase.conf.
OLD_FAST_BLOCK = """
# tradebase throwaway server
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '256MB'
max_connections = 100
max_locks_per_transaction = 256
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'UTC'
"""


def durability(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(f'show {name}').fetchone()[0] for name in DURABLE_SETTINGS}


def cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('DATABASE_URL', 'TRADEBASE_FAST')}
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
        assert 'durable (fsync, synchronous_commit, full_page_writes on)' in up.stdout
        url = cli(state, 'db', 'url').stdout.strip()
        assert durability(url) == DURABLE_SETTINGS
        with psycopg.connect(url) as conn:
            assert conn.execute('show listen_addresses').fetchone()[0] == '127.0.0.1'
        # Up twice is fine; --fast turns the running server's durability off (a reload, same server) …
        fast = cli(state, 'db', 'up', '--fast')
        assert fast.returncode == 0 and 'fast (fsync, synchronous_commit, full_page_writes off' in fast.stdout
        assert cli(state, 'db', 'url').stdout.strip() == url
        assert durability(url) == FAST_SETTINGS
        assert 'fast (' in cli(state, 'db', 'status').stdout
        # … and other commands leave it as it is; `db up` without --fast makes it durable again.
        assert cli(state, 'status').returncode == 1, 'nothing migrated yet'
        assert durability(url) == FAST_SETTINGS
        assert cli(state, 'db', 'up').returncode == 0
        assert durability(url) == DURABLE_SETTINGS
        assert cli(state, 'db', 'down', '--fast').returncode == 2, '--fast is for db up only'
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


def test_durable_unless_fast_is_asked_for(monkeypatch, tmp_path):
    assert DURABLE_SETTINGS == {'fsync': 'on', 'synchronous_commit': 'on', 'full_page_writes': 'on'}
    assert dict.fromkeys(DURABLE_SETTINGS, 'off') == FAST_SETTINGS
    assert Cluster(tmp_path).settings().items() >= DURABLE_SETTINGS.items()
    assert Cluster(tmp_path, fast=True).settings().items() >= FAST_SETTINGS.items()
    monkeypatch.delenv('TRADEBASE_FAST', raising=False)
    assert not Cluster.default().fast and not Cluster(tmp_path).fast
    assert Cluster.default(fast=True).fast
    for value, fast in (('1', True), ('yes', True), ('0', False), ('', False)):
        monkeypatch.setenv('TRADEBASE_FAST', value)
        assert config.fast_server() is fast and Cluster.default().fast is fast
    assert Cluster.default(fast=False).fast is False, 'an explicit choice wins over the variable'


def _make_old_style(c: Cluster) -> None:
    """Turn C's files into what an older tradebase left: its fast settings at the end of postgresql.conf."""
    conf = c.datadir / 'postgresql.conf'
    lines = conf.read_text().splitlines(keepends=True)
    conf.write_text(''.join(line for line in lines if 'tradebase' not in line and INCLUDE_LINE not in line))
    with open(conf, 'a') as f:
        f.write(OLD_FAST_BLOCK)
    (c.datadir / SETTINGS_FILE).unlink(missing_ok=True)


def test_a_cluster_made_with_the_old_fast_settings_becomes_durable(tmp_path):
    old = Cluster(tmp_path / 'state', fast=True)
    try:
        old.init()
        _make_old_style(old)
        # Stopped: durable from its next start.
        url = Cluster(old.base).start()
        assert durability(url) == DURABLE_SETTINGS
        assert Cluster(old.base).stop()
        # Running, started with the old settings (here: by hand): durable as soon as tradebase starts it
        # again, without a restart.
        _make_old_style(old)
        port = cluster.free_port()
        cmd = [str(cluster.find_bindir() / 'pg_ctl'), 'start', '-D', str(old.datadir), '-l', str(old.logfile)]
        cmd += ['-w', '-o', f'-p {port}']
        subprocess.run(cluster.as_server_user(cmd), capture_output=True, check=True, timeout=120)
        old._save(port=port)
        url = old.url()
        assert durability(url) == FAST_SETTINGS
        assert Cluster(old.base).start() == url, 'the same server, not a restart'
        assert durability(url) == DURABLE_SETTINGS
        assert (old.datadir / 'postgresql.conf').read_text().rstrip().endswith(INCLUDE_LINE)
        assert '# mode: durable' in (old.datadir / SETTINGS_FILE).read_text()
    finally:
        old.destroy()


# The server on scripts/at.sh's shifted clock, and its timeouts still firing (the reason for the shim).
AT_PROBE = """
import psycopg
from tradebase.cluster import Cluster
server = Cluster.temporary(fast=True, cron=False)
server.start()
try:
    with psycopg.connect(server.url('postgres'), autocommit=True) as conn:
        print(conn.execute("select to_char(now() at time zone 'UTC', 'YYYY-MM-DD')").fetchone()[0])
        conn.execute("set statement_timeout = '200ms'")
        try:
            conn.execute('select pg_sleep(3)')
        except psycopg.errors.QueryCanceled:
            print('timeout fired')
finally:
    server.destroy()
"""


def test_scripts_at_moves_the_servers_clock_and_keeps_its_timeouts():
    at = config.ROOT / 'scripts' / 'at.sh'
    done = subprocess.run(
        [str(at), '2030-12-31 23:59:00', sys.executable, '-c', AT_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['2030-12-31', 'timeout', 'fired']
