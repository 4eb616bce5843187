"""A migrated scratch database for a benchmark: on DATABASE_URL's server (a superuser), or on a throwaway
fast server (fsync, synchronous_commit and full_page_writes off, as every benchmark here runs), dropped
or destroyed afterwards.

    with scratch.migrated_database('bench_x') as url:
        ...
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from tradebase import config, db, migrate
from tradebase.cluster import Cluster


@contextmanager
def migrated_database(prefix: str) -> Iterator[str]:
    """The URL of a new database named PREFIX_<random>, migrated; gone when the block ends."""
    cluster = None
    if env := config.database_url():
        server_url = db.with_dbname(env, 'postgres')
    else:
        cluster = Cluster.temporary(fast=True)
        cluster.start()
        server_url = cluster.url('postgres')
    name = f'{prefix}_{uuid.uuid4().hex[:8]}'
    try:
        url = db.create_database(server_url, name)
        print('migrating …', flush=True)
        migrate.migrate(url, echo=lambda *_: None)
        yield url
    finally:
        if cluster:
            cluster.destroy()
        else:
            db.drop_database(server_url, name)
