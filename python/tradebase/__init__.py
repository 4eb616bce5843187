"""tradebase: a PostgreSQL-first data layer for trading, investing and small pooled funds.

The business logic lives in Postgres; this package only starts a throwaway server, applies
migrations and SQL objects, renders partitions, imports data and calls `api` functions.
"""

__version__ = '0.1.0'
