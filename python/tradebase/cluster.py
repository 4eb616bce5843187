"""A throwaway local PostgreSQL server: initdb, a free loopback port, pg_ctl.

Postgres refuses to run as root, so when invoked as root every server command runs as the
`postgres` OS user (runuser). The server only listens on 127.0.0.1 and trusts local
connections: it is for development, tests and benchmarks, never for real data.
"""

import glob
import hashlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import config

SERVER_USER = 'postgres'
SUPERUSER = 'postgres'

# fsync and friends are off: this server holds nothing worth keeping, and the benchmark compares
# ratios measured on the same server in the same run.
SERVER_SETTINGS = {
    'listen_addresses': "'127.0.0.1'",
    'unix_socket_directories': "''",
    'fsync': 'off',
    'synchronous_commit': 'off',
    'full_page_writes': 'off',
    'shared_buffers': "'256MB'",
    'max_connections': '100',
    'max_locks_per_transaction': '256',
    'log_min_messages': 'warning',
    'log_line_prefix': "'%m [%p] %q%u@%d '",
    'timezone': "'UTC'",
}


class ClusterError(RuntimeError):
    """The throwaway server cannot be set up; the message says what is missing and how to get it."""


def find_bindir() -> Path:
    """The server binaries: PATH, then `pg_config --bindir`, then /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    if initdb := shutil.which('initdb'):
        candidates.append(Path(initdb).resolve().parent)
    if pg_config := shutil.which('pg_config'):
        out = subprocess.run([pg_config, '--bindir'], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(glob.glob('/usr/lib/postgresql/*/bin'), key=lambda p: int(Path(p).parent.name))
    candidates.extend(Path(p) for p in reversed(versions))
    for bindir in candidates:
        if (bindir / 'initdb').exists() and (bindir / 'pg_ctl').exists():
            return bindir
    raise ClusterError(
        'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, via pg_config or under '
        '/usr/lib/postgresql/*/bin. Install them: apt-get install postgresql-15'
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _is_root() -> bool:
    return os.geteuid() == 0


def as_server_user(cmd: list[str]) -> list[str]:
    """CMD run as the server's OS user when this process is root (Postgres refuses to run as root)."""
    return ['runuser', '-u', SERVER_USER, '--', *cmd] if _is_root() else cmd


def hand_to_server_user(path: Path) -> None:
    """Give PATH (itself, not its contents) to the server's OS user when this process is root."""
    if _is_root():
        pw = pwd.getpwnam(SERVER_USER)
        os.chown(path, pw.pw_uid, pw.pw_gid)


def _server_user_can_write(path: Path) -> bool:
    if not _is_root():
        return True
    probe = subprocess.run(as_server_user(['test', '-w', str(path)]), check=False)
    return probe.returncode == 0


@dataclass
class Cluster:
    """One local server: its data directory, log and port (kept in a small state file)."""

    base: Path

    @classmethod
    def default(cls) -> 'Cluster':
        """The CLI's cluster under .tradebase/ (or a temp dir when the server user cannot write there)."""
        return cls(config.STATE_DIR)

    @classmethod
    def temporary(cls) -> 'Cluster':
        base = Path(tempfile.mkdtemp(prefix='tradebase-test-'))
        base.chmod(0o755)  # the server user must reach its data directory inside
        return cls(base)

    # -- layout -------------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.base / 'cluster.json'

    def _state(self) -> dict:
        return json.loads(self.state_file.read_text()) if self.state_file.exists() else {}

    def _save(self, **values) -> None:
        self.state_file.write_text(json.dumps(self._state() | values, indent=2))

    @property
    def datadir(self) -> Path:
        return Path(self._state().get('datadir', self.base / 'pgdata'))

    @property
    def logfile(self) -> Path:
        return self.datadir.parent / 'server.log'

    @property
    def port(self) -> int | None:
        return self._state().get('port')

    def url(self, dbname: str = config.DEFAULT_DBNAME) -> str:
        if not self.is_running():
            raise ClusterError('no throwaway server is running: start it with `tradebase db up` (make db-up)')
        return f'postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}'

    # -- lifecycle ----------------------------------------------------------------------------
    def _choose_datadir(self) -> Path:
        self.base.mkdir(parents=True, exist_ok=True)
        home = self.base
        if _is_root():
            # The server user needs its own directory it can reach; a repo under a private home
            # directory is not reachable, so fall back to a temp dir named after this repo.
            home = self.base / 'server'
            home.mkdir(exist_ok=True)
            hand_to_server_user(home)
            if not _server_user_can_write(home):
                digest = hashlib.sha256(str(self.base.resolve()).encode()).hexdigest()[:12]
                home = Path(tempfile.gettempdir()) / f'tradebase-{digest}'
                home.mkdir(exist_ok=True)
                hand_to_server_user(home)
        return home / 'pgdata'

    def init(self) -> None:
        if (self.datadir / 'PG_VERSION').exists():
            return
        bindir = find_bindir()
        datadir = self._choose_datadir()
        self._save(datadir=str(datadir))
        cmd = [str(bindir / 'initdb'), '-D', str(datadir), '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8']
        cmd += ['--no-locale', '--no-sync']
        out = subprocess.run(as_server_user(cmd), capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise ClusterError(f'initdb failed:\n{out.stderr}')
        with open(datadir / 'postgresql.conf', 'a') as conf:
            conf.write('\n# tradebase throwaway server\n')
            conf.writelines(f'{k} = {v}\n' for k, v in SERVER_SETTINGS.items())

    def is_running(self) -> bool:
        if not (self.datadir / 'PG_VERSION').exists():
            return False
        bindir = find_bindir()
        out = subprocess.run(
            as_server_user([str(bindir / 'pg_ctl'), 'status', '-D', str(self.datadir)]),
            capture_output=True,
            check=False,
        )
        return out.returncode == 0

    def start(self) -> str:
        """Start (initialising first if needed), wait until it accepts connections, create the database."""
        self.init()
        if not self.is_running():
            bindir = find_bindir()
            port = free_port()
            cmd = [str(bindir / 'pg_ctl'), 'start', '-D', str(self.datadir), '-l', str(self.logfile)]
            cmd += ['-w', '-t', '60', '-o', f'-p {port}']
            out = subprocess.run(as_server_user(cmd), capture_output=True, text=True, check=False)
            if out.returncode != 0:
                log = self.logfile.read_text()[-2000:] if self.logfile.exists() else ''
                raise ClusterError(f'pg_ctl start failed:\n{out.stdout}{out.stderr}\n{log}')
            self._save(port=port)
            self._wait_ready()
        self._ensure_database(config.DEFAULT_DBNAME)
        return self.url()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url('postgres'), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _ensure_database(self, dbname: str) -> None:
        from . import db

        url = self.url(dbname)
        if not db.database_exists(url, dbname):
            db.create_database(url, dbname)

    def stop(self) -> bool:
        """Stop the server if it runs; True when it was running."""
        if not self.is_running():
            return False
        bindir = find_bindir()
        cmd = [str(bindir / 'pg_ctl'), 'stop', '-D', str(self.datadir), '-m', 'fast', '-w']
        subprocess.run(as_server_user(cmd), capture_output=True, check=True)
        return True

    def destroy(self) -> None:
        """Stop and remove everything this cluster wrote."""
        self.stop()
        datadir = self.datadir
        shutil.rmtree(datadir.parent, ignore_errors=True)
        shutil.rmtree(self.base, ignore_errors=True)


def require_extensions(url: str, names: tuple[str, ...] = ('pgtap', 'plpgsql_check')) -> None:
    """Fail with the Debian package to install when a test-only extension is not available."""
    import psycopg

    packages = {'pgtap': 'postgresql-15-pgtap', 'plpgsql_check': 'postgresql-15-plpgsql-check'}
    with psycopg.connect(url) as conn:
        available = {r[0] for r in conn.execute('select name from pg_available_extensions')}
    missing = [n for n in names if n not in available]
    if missing:
        pkgs = ' '.join(packages.get(n, n) for n in missing)
        raise ClusterError(
            f'PostgreSQL extension(s) {", ".join(missing)} not installed: apt-get install {pkgs}'
        )
