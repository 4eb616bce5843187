"""A throwaway local PostgreSQL server: initdb, a free loopback port, pg_ctl.

Postgres refuses to run as root, so when invoked as root every server command runs as the
`postgres` OS user (runuser). The server only listens on 127.0.0.1 and trusts local
connections: it is for development, tests and benchmarks, not for production data.

It is durable by default (fsync, synchronous_commit and full_page_writes on: PostgreSQL's defaults),
because `make demo` leaves it running for the user to keep working in. Tests and benchmarks ask for
the fast settings explicitly: `Cluster.temporary(fast=True)`, `tradebase db up --fast` or
TRADEBASE_FAST=1. The settings are rewritten into the data directory's tradebase.conf at every start,
so a cluster made by an older tradebase (fast settings in its postgresql.conf) is durable from its
next start on.
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

import psycopg

from . import config, db

SERVER_USER = 'postgres'
SUPERUSER = 'postgres'

SERVER_SETTINGS = {
    'listen_addresses': "'127.0.0.1'",
    'unix_socket_directories': "''",
    'shared_buffers': "'256MB'",
    'max_connections': '100',
    'max_locks_per_transaction': '256',
    'log_min_messages': 'warning',
    'log_line_prefix': "'%m [%p] %q%u@%d '",
    'timezone': "'UTC'",
}

#: The default, PostgreSQL's own: a commit returns once its WAL is flushed, so a crash of the server (or of
#: the machine) loses nothing that was acknowledged.
DURABLE_SETTINGS = {'fsync': 'on', 'synchronous_commit': 'on', 'full_page_writes': 'on'}

#: For tests and benchmarks only: a commit returns before its WAL is written, so a crash of the server loses
#: the last acknowledged transactions, and a crash of the machine can corrupt the cluster.
FAST_SETTINGS = {'fsync': 'off', 'synchronous_commit': 'off', 'full_page_writes': 'off'}

#: SERVER_SETTINGS and one of the two above, written into the data directory at every start. postgresql.conf
#: includes it last, so it overrides what an older tradebase appended there; postgresql.auto.conf (ALTER
#: SYSTEM) is read after it and still wins.
SETTINGS_FILE = 'tradebase.conf'
INCLUDE_LINE = f"include_if_exists = '{SETTINGS_FILE}'"


#: pg_cron runs the jobs of ops.jobs where the server has it (Debian: postgresql-15-cron): preloaded, in the
#: tradebase database, its jobs in background workers (no connection over TCP). Without it the server starts
#: all the same and `tradebase worker` runs the due jobs (ops.run_due_jobs).
CRON_SETTINGS = {
    'shared_preload_libraries': "'pg_cron'",
    'cron.database_name': f"'{config.DEFAULT_DBNAME}'",
    'cron.use_background_workers': 'on',
    'max_worker_processes': '16',
}


def pg_cron_installed(bindir: Path | None = None) -> bool:
    """True when the server binaries have pg_cron (`<bindir>/../lib/pg_cron.so`, Debian's layout)."""
    bindir = bindir or find_bindir()
    if (bindir.parent / 'lib' / 'pg_cron.so').exists():
        return True
    pg_config = bindir / 'pg_config'
    if pg_config.exists():
        out = subprocess.run([str(pg_config), '--pkglibdir'], capture_output=True, text=True, check=False)
        return out.returncode == 0 and (Path(out.stdout.strip()) / 'pg_cron.so').exists()
    return False


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
    #: The fast settings (FAST_SETTINGS) instead of the durable defaults: for tests and benchmarks only.
    fast: bool = False
    #: Preload pg_cron (CRON_SETTINGS): None (the default) when it is installed; False never.
    cron: bool | None = None

    @classmethod
    def default(cls, fast: bool | None = None) -> 'Cluster':
        """The CLI's cluster under .tradebase/ (or a temp dir when the server user cannot write there);
        durable unless FAST (default: the TRADEBASE_FAST environment variable)."""
        return cls(config.STATE_DIR, fast=config.fast_server() if fast is None else fast)

    @classmethod
    def temporary(cls, fast: bool = False, cron: bool | None = None) -> 'Cluster':
        base = Path(tempfile.mkdtemp(prefix='tradebase-test-'))
        base.chmod(0o755)  # the server user must reach its data directory inside
        return cls(base, fast=fast, cron=cron)

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

    # -- settings -----------------------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.datadir / SETTINGS_FILE

    def settings(self) -> dict[str, str]:
        """What this cluster writes into its settings file: SERVER_SETTINGS, pg_cron's when it preloads
        it, then durable or fast."""
        cron = pg_cron_installed() if self.cron is None else self.cron
        return (
            SERVER_SETTINGS
            | (CRON_SETTINGS if cron else {})
            | (FAST_SETTINGS if self.fast else DURABLE_SETTINGS)
        )

    def _settings_text(self) -> str:
        mode = 'fast' if self.fast else 'durable'
        lines = [
            '# Written by tradebase (python/tradebase/cluster.py) at every start: edits here are lost.',
            '# Override a setting with ALTER SYSTEM (postgresql.auto.conf) instead.',
            f'# mode: {mode}',
            *(f'{k} = {v}' for k, v in self.settings().items()),
        ]
        return '\n'.join(lines) + '\n'

    def _written_mode(self) -> str | None:
        """'durable' or 'fast' as the settings file says; None without one (a new cluster, or one made by
        an older tradebase, whose fast settings are in postgresql.conf)."""
        if not self.settings_file.exists():
            return None
        for line in self.settings_file.read_text().splitlines():
            if line.startswith('# mode: '):
                return line.removeprefix('# mode: ').strip()
        return None

    def _include_settings_file(self) -> None:
        """Make postgresql.conf include the settings file as its last line, unless it already includes it."""
        conf = self.datadir / 'postgresql.conf'
        if INCLUDE_LINE in conf.read_text().splitlines():
            return
        with open(conf, 'a') as f:
            f.write(
                f'\n# tradebase: its settings, rewritten at every start (last, so they win)\n{INCLUDE_LINE}\n'
            )

    def _write_settings(self) -> bool:
        """Write the settings file (and its include). True when the server becomes durable now: files
        written while fsync was off (or by initdb --no-sync) may not be on disk yet and need a sync."""
        was_durable = self._written_mode() == 'durable'
        self._include_settings_file()
        text = self._settings_text()
        if not self.settings_file.exists() or self.settings_file.read_text() != text:
            self.settings_file.write_text(text)
            hand_to_server_user(self.settings_file)
        return not self.fast and not was_durable

    def _sync_datadir(self) -> None:
        """fsync every file of the data directory (PostgreSQL's advice when turning fsync on)."""
        cmd = [str(find_bindir() / 'initdb'), '--sync-only', '-D', str(self.datadir)]
        out = subprocess.run(as_server_user(cmd), capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise ClusterError(f'initdb --sync-only failed:\n{out.stderr}')

    def durability(self) -> dict[str, str]:
        """The running server's fsync, synchronous_commit and full_page_writes."""
        with db.connection(self.url('postgres'), autocommit=True) as conn:
            return {name: conn.execute(f'show {name}').fetchone()[0] for name in DURABLE_SETTINGS}

    def _reload(self, timeout: float = 10.0) -> None:
        """Signal the running server to re-read its settings; wait until new sessions see them."""
        cmd = [str(find_bindir() / 'pg_ctl'), 'reload', '-D', str(self.datadir)]
        subprocess.run(as_server_user(cmd), capture_output=True, check=True)
        wanted = FAST_SETTINGS if self.fast else DURABLE_SETTINGS
        deadline = time.monotonic() + timeout
        while self.durability() != wanted:
            if time.monotonic() > deadline:
                raise ClusterError(
                    f'the server did not take {wanted} on reload (does ALTER SYSTEM, i.e. '
                    f'postgresql.auto.conf, override them?); see {self.logfile}'
                )
            time.sleep(0.05)

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
        self._include_settings_file()

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

    def start(self, reconfigure: bool = False) -> str:
        """Start (initialising first if needed) with this cluster's settings, wait until it accepts
        connections, create the database.

        A server that is already running keeps its settings, unless RECONFIGURE (`tradebase db up`) or it
        was started by an older tradebase (no settings file): then it gets this cluster's settings by a
        reload (all three durability settings take effect without a restart).
        """
        self.init()
        if self.is_running():
            if reconfigure or self._written_mode() is None:
                needs_sync = self._write_settings()
                self._reload()
                if needs_sync:
                    self._sync_datadir()  # after the reload: allowed while fsync is on
        else:
            if self._write_settings():
                self._sync_datadir()
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
        deadline = time.monotonic() + timeout
        while True:
            try:
                db.connect(self.url('postgres'), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _ensure_database(self, dbname: str) -> None:
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


def resolve_url(url: str | None = None) -> str:
    """The server to use: the URL given, else DATABASE_URL, else the running throwaway server's."""
    if url:
        return url
    if env := config.database_url():
        return env
    return Cluster.default().url()


def require_extensions(url: str, names: tuple[str, ...] = ('pgtap', 'plpgsql_check')) -> None:
    """Fail with the Debian package to install when a test-only extension is not available."""
    packages = {'pgtap': 'postgresql-15-pgtap', 'plpgsql_check': 'postgresql-15-plpgsql-check'}
    with db.connection(url) as conn:
        available = {r[0] for r in conn.execute('select name from pg_available_extensions')}
    missing = [n for n in names if n not in available]
    if missing:
        pkgs = ' '.join(packages.get(n, n) for n in missing)
        raise ClusterError(
            f'PostgreSQL extension(s) {", ".join(missing)} not installed: apt-get install {pkgs}'
        )
