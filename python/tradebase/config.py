"""Where things are, and which database to talk to.

sql/ (with sql/templates) and migrations/ are read from the installed package when it carries them
(a wheel puts them at tradebase/sql and tradebase/migrations: pyproject.toml maps the two trees in as
package data), and otherwise from the checkout this module runs from (python/tradebase/config.py ->
../../), as an editable install or `PYTHONPATH=python` does.
"""

import os
from importlib.resources import files
from pathlib import Path


def _checkout() -> Path | None:
    root = Path(__file__).resolve().parents[2]
    return root if (root / 'pyproject.toml').is_file() and (root / 'sql').is_dir() else None


def _data_dir(name: str) -> Path:
    packaged = files(__package__) / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    if ROOT is None:
        raise RuntimeError(f'tradebase is installed without its {name}/ tree: rebuild the wheel')
    return ROOT / name


def _state_dir() -> Path:
    if env := os.environ.get('TRADEBASE_STATE_DIR'):
        return Path(env)
    if ROOT is not None:
        return ROOT / '.tradebase'
    return Path(os.environ.get('XDG_STATE_HOME') or Path.home() / '.local' / 'state') / 'tradebase'


#: The checkout's root (docs/, Makefile, .tradebase/), or None in an installed package.
ROOT = _checkout()
SQL_DIR = _data_dir('sql')
MIGRATIONS_DIR = _data_dir('migrations')
TEMPLATES_DIR = SQL_DIR / 'templates'
#: The throwaway server's state: TRADEBASE_STATE_DIR, else .tradebase/ in the checkout, else
#: $XDG_STATE_HOME/tradebase (~/.local/state/tradebase) for an installed package.
STATE_DIR = _state_dir()

#: The database a throwaway cluster creates and the CLI uses.
DEFAULT_DBNAME = 'tradebase'

#: Order in which the schemas' sql/ folders are applied: a schema only uses schemas before it.
SCHEMA_ORDER = (
    'app',
    'ops',
    'audit',
    'auth',
    'market',
    'analytics',
    'notify',
    'risk',
    'trading',
    'fund',
    'strategy',
    'planning',
    'api',
)

OWNER_ROLE = 'tradebase_owner'

#: The deploy barrier (an advisory lock key). A deploy that changes anything holds it exclusively for its
#: whole transaction (tradebase.migrate); a transaction that takes it shared first (`select
#: pg_advisory_xact_lock_shared(hashtextextended('tradebase.deploy', 0))`, as tradebase.client does) runs
#: wholly before or wholly after a deploy, never across one, so it cannot call an old function body that
#: meets a new table (or a dropped one) after the commit.
DEPLOY_BARRIER_KEY = 'tradebase.deploy'


def database_url() -> str | None:
    """DATABASE_URL when the operator gave one; None means "use the throwaway cluster"."""
    return os.environ.get('DATABASE_URL') or None


def fast_server() -> bool:
    """TRADEBASE_FAST=1: the CLI's throwaway server runs with fsync, synchronous_commit and full_page_writes
    off (fast, and a crash loses acknowledged commits); unset, it is durable."""
    return os.environ.get('TRADEBASE_FAST', '').strip().lower() in ('1', 'true', 'yes', 'on')
