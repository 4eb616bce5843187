"""`make demo`: the throwaway server, migrated, left running for exploration."""

from . import migrate
from .cli import print_status


def run(url: str) -> int:
    print(f'== tradebase demo on {url}')
    migrate.migrate(url)
    print()
    print_status(url)
    print()
    print('The server keeps running for exploration:')
    print(f'  psql "{url}"')
    print('  make db-down      stops it')
    return 0
