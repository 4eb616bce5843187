"""The one connector: every module of the package opens its connections here (a test holds them to it).

It knows URLs, not servers: which server to use when none is given is `cluster.resolve_url`'s business.
"""

from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo


def connect(url: str, *, autocommit: bool = False, **kwargs) -> psycopg.Connection:
    """A new connection to `url` (a URL or a conninfo string); extra keywords go to psycopg."""
    return psycopg.connect(url, autocommit=autocommit, **kwargs)


@contextmanager
def connection(url: str, *, autocommit: bool = False, **kwargs):
    """A new connection to `url`, closed when the block ends (its transaction is not committed for you)."""
    conn = connect(url, autocommit=autocommit, **kwargs)
    try:
        yield conn
    finally:
        conn.close()


def with_dbname(url: str, dbname: str) -> str:
    """The same server and credentials, another database (a URL stays a URL)."""
    if '://' in url:
        parts = urlsplit(url)
        return parts._replace(path='/' + quote(dbname)).geturl()
    params = conninfo_to_dict(url)
    params['dbname'] = dbname
    return make_conninfo(**params)


def create_database(url: str, dbname: str, template: str | None = None) -> str:
    """CREATE DATABASE (optionally from a template) through the server of `url`; returns its URL."""
    stmt = sql.SQL('create database {}').format(sql.Identifier(dbname))
    if template:
        stmt += sql.SQL(' template {}').format(sql.Identifier(template))
    with connection(with_dbname(url, 'postgres'), autocommit=True) as conn:
        conn.execute(stmt)
    return with_dbname(url, dbname)


def drop_database(url: str, dbname: str) -> None:
    with connection(with_dbname(url, 'postgres'), autocommit=True) as conn:
        conn.execute(sql.SQL('drop database if exists {} with (force)').format(sql.Identifier(dbname)))


def database_exists(url: str, dbname: str) -> bool:
    with connection(with_dbname(url, 'postgres'), autocommit=True) as conn:
        return conn.execute('select 1 from pg_database where datname = %s', [dbname]).fetchone() is not None
