"""Where things are, and which database to talk to."""

import os
from pathlib import Path

#: The repository root: python/tradebase/config.py -> ../../
ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / 'sql'
MIGRATIONS_DIR = ROOT / 'migrations'
TEMPLATES_DIR = SQL_DIR / 'templates'
STATE_DIR = Path(os.environ.get('TRADEBASE_STATE_DIR', ROOT / '.tradebase'))

#: The database a throwaway cluster creates and the CLI uses.
DEFAULT_DBNAME = 'tradebase'

#: Order in which the schemas' sql/ folders are applied: a schema only uses schemas before it.
SCHEMA_ORDER = (
    'app',
    'ops',
    'audit',
    'auth',
    'market',
    'trading',
    'fund',
    'risk',
    'strategy',
    'planning',
    'notify',
    'api',
    'analytics',
)

OWNER_ROLE = 'tradebase_owner'


def database_url() -> str | None:
    """DATABASE_URL when the operator gave one; None means "use the throwaway cluster"."""
    return os.environ.get('DATABASE_URL') or None


def fast_server() -> bool:
    """TRADEBASE_FAST=1: the CLI's throwaway server runs with fsync, synchronous_commit and full_page_writes
    off (fast, and a crash loses acknowledged commits); unset, it is durable."""
    return os.environ.get('TRADEBASE_FAST', '').strip().lower() in ('1', 'true', 'yes', 'on')
