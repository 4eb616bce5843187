"""Bulk bars: CSV import through COPY and simulated (geometric Brownian motion) bars.

Both stream rows as text into a temporary staging table with COPY (constant memory on both sides),
then, in the same transaction: parse every row once with `market.parse_bar_time` /
`market.parse_number`, report every row that is unparseable, repeats a timestamp or breaks one of
market.market_data's own CHECK constraints (read from the catalog, so the rules live in one place)
with its line number, and load nothing if there is any; otherwise ensure the partitions of the
range and upsert, so re-importing a file changes nothing.
"""

import csv
import math
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

from . import cluster, db, errors, partitions

#: The bar lengths market_data_timeframe_known_ck allows; offered by the CLI.
TIMEFRAMES = ('1m', '5m', '15m', '1h', '1d', '1w', '1mo')
REQUIRED = ('date', 'open', 'high', 'low', 'close')
MAX_REPORTED = 50
PROGRESS_EVERY = 50_000

Progress = Callable[[int, int, int], None]  # (rows so far, bytes so far, total bytes or 0)


class ImportRejected(Exception):
    """Nothing was loaded: the file is unusable or some rows are bad (listed by line number)."""

    def __init__(self, message: str, problems: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class LoadResult:
    rows: int
    inserted: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.rows - self.inserted - self.updated


def _no_progress(_rows: int, _done: int, _total: int) -> None:
    pass


# -- shared load path ----------------------------------------------------------------------------
def _security_id(conn: psycopg.Connection, symbol: str, create_name: str | None) -> str:
    find = 'select id from market.securities where symbol = upper(btrim(%s))'
    row = conn.execute(find, [symbol]).fetchone()
    if row:
        return row[0]
    if create_name is None:
        raise ImportRejected(f'security {symbol} does not exist (create it, or pass --create-security)')
    return conn.execute("select api.upsert_security(%s, %s, 'stock')", [symbol, create_name]).fetchone()[0]


def _checks(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """market.market_data's CHECK constraints as (name, boolean expression)."""
    rows = conn.execute(
        """
        select conname, pg_get_expr(conbin, conrelid)
        from pg_constraint
        where conrelid = 'market.market_data'::regclass and contype = 'c'
        order by conname
        """
    ).fetchall()
    return list(rows)


_PARSE = """
    create temporary table market_import_parsed on commit drop as
    select
        s.line, s.ts as ts_text, s.open as open_text, s.high as high_text, s.low as low_text,
        s.close as close_text, s.volume as volume_text,
        {security_id}::uuid as security_id, {timeframe}::text as timeframe,
        market.parse_bar_time(s.ts) as ts,
        market.parse_number(s.open) as open, market.parse_number(s.high) as high,
        market.parse_number(s.low) as low, market.parse_number(s.close) as close,
        coalesce(market.parse_number(s.volume), case when s.volume is null then 0 end) as volume,
        null::numeric as bid, null::numeric as ask, null::numeric as vwap
    from market_import as s
"""

_PROBLEMS = """
    select p.line, x.problem, count(*) over ()
    from (
        select *, min(line) over (partition by ts) as first_line from market_import_parsed
    ) as p
    cross join lateral (
        values
        (case when p.ts is null then format('Date %L is not a date or timestamp', p.ts_text) end),
        (case when p.open is null then format('Open %L is not a number', p.open_text) end),
        (case when p.high is null then format('High %L is not a number', p.high_text) end),
        (case when p.low is null then format('Low %L is not a number', p.low_text) end),
        (case when p.close is null then format('Close %L is not a number', p.close_text) end),
        (case when p.volume is null then format('Volume %L is not a number', p.volume_text) end),
        (
            case when p.ts is not null and p.line <> p.first_line
                then format('Date repeats line %s', p.first_line) end
        ),
        -- The limits of docs/trading.md: stored exactly (a 9th decimal would be rounded away, to zero
        -- for the smallest prices), no price above app.max_price(), no bar from beyond the clock skew
        -- (it would be the newest bar, and the last an order has seen, until the clock caught up).
        (
            case when greatest(p.open, p.high, p.low, p.close) > app.max_price()
                then format('a price is above the largest, %s', app.max_price()) end
        ),
        (
            case when p.open <> round(p.open, 8) or p.high <> round(p.high, 8) or p.low <> round(p.low, 8)
                or p.close <> round(p.close, 8) then 'a price has more than 8 decimals' end
        ),
        (
            case when p.volume > app.max_volume() or p.volume <> round(p.volume, 10)
                then format('Volume %s is above 10^17 or has more than 10 decimals', p.volume_text) end
        ),
        (
            case when p.ts > clock_timestamp() + auth.clock_skew()
                then format('Date %s lies more than %s ahead of the clock', p.ts_text, auth.clock_skew()) end
        )
        {checks}
    ) as x (problem)
    where x.problem is not null
    order by p.line, x.problem
    limit {limit}
"""

_UPSERT = """
    with existing as (
        select count(*) as n
        from market_import_parsed as p
        inner join market.market_data as d
            on d.security_id = p.security_id and d.timeframe = p.timeframe and d.ts = p.ts
    ),
    upserted as (
        insert into market.market_data as d (security_id, timeframe, ts, open, high, low, close, volume)
        select security_id, timeframe, ts, open, high, low, close, volume from market_import_parsed
        on conflict (security_id, timeframe, ts) do update
            set open = excluded.open, high = excluded.high, low = excluded.low,
                close = excluded.close, volume = excluded.volume
            where (d.open, d.high, d.low, d.close, d.volume)
                is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
        returning 1
    )
    select (select n from existing), count(*) from upserted
"""


def _load(
    conn: psycopg.Connection,
    security_id: str,
    timeframe: str,
    rows: Iterable[tuple],
    label: str,
) -> LoadResult:
    """Stage (line, date, open, high, low, close, volume) text rows, validate all, then upsert."""
    conn.execute(
        """
        create temporary table market_import (
            line bigint, ts text, open text, high text, low text, close text, volume text
        ) on commit drop
        """
    )
    with conn.cursor().copy(
        'copy market_import (line, ts, open, high, low, close, volume) from stdin'
    ) as copy:
        for row in rows:
            copy.write_row(row)

    checks = sql.SQL('').join(
        sql.SQL(',\n(case when not ({expr}) then {name} end)').format(
            expr=sql.SQL(expr),  # from the catalog: the table's own constraint text
            name=sql.Literal(f'breaks {name}'),
        )
        for name, expr in _checks(conn)
    )
    parse = sql.SQL(_PARSE).format(security_id=sql.Literal(security_id), timeframe=sql.Literal(timeframe))
    conn.execute(parse)
    problems = conn.execute(
        sql.SQL(_PROBLEMS).format(checks=checks, limit=sql.Literal(MAX_REPORTED))
    ).fetchall()
    if problems:
        total = problems[0][2]
        listed = '\n'.join(f'  line {line}: {problem}' for line, problem, _ in problems)
        more = f'\n  … and {total - len(problems)} more' if total > len(problems) else ''
        raise ImportRejected(
            f'{label}: {total} problem(s), nothing was loaded:\n{listed}{more}',
            [(line, problem) for line, problem, _ in problems],
        )

    span = 'select count(*), min(ts), max(ts) from market_import_parsed'
    count, first, last = conn.execute(span).fetchone()
    if count == 0:
        return LoadResult(0, 0, 0)
    (pset,) = partitions.registered(conn, 'market.market_data')
    partitions.ensure_set(conn, pset, cover=(first, last))
    existing, changed = conn.execute(_UPSERT).fetchone()
    inserted = count - existing
    return LoadResult(count, inserted, changed - inserted)


# -- CSV import ----------------------------------------------------------------------------------
def _csv_rows(path: Path, progress: Progress) -> Iterator[tuple]:
    """(line number, date, open, high, low, close, volume) per data row; reads one line at a time."""
    total = path.stat().st_size
    done = 0

    def lines(f):
        nonlocal done
        for line in f:
            done += len(line)
            yield line

    with path.open(newline='', encoding='utf-8-sig') as f:
        reader = csv.reader(lines(f))
        header = next(reader, None)
        if header is None:
            raise ImportRejected(f'{path}: the file is empty')
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise ImportRejected(
                f'{path}: the header lacks {", ".join(missing)} (expected Date,Open,High,Low,Close,Volume)'
            )
        wanted = [names.index(c) for c in REQUIRED]
        volume = names.index('volume') if 'volume' in names else None
        rows = 0
        for record in reader:
            if not record:
                continue  # a blank line
            fields = [record[i] if i < len(record) else None for i in wanted]
            vol = record[volume] if volume is not None and volume < len(record) else None
            yield (reader.line_num, *(f if f != '' else None for f in fields), vol or None)
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                progress(rows, done, total)
        progress(rows, done, total)


def import_csv(
    path: str | Path,
    symbol: str,
    *,
    timeframe: str = '1d',
    create_security: bool = False,
    url: str | None = None,
    progress: Progress = _no_progress,
) -> LoadResult:
    """Load a CSV of Date,Open,High,Low,Close[,Volume] bars (Adj Close and other columns ignored),
    all or nothing, as one transaction. Dates without an offset are UTC."""
    path = Path(path)
    with db.connection(cluster.resolve_url(url), autocommit=True) as conn:
        try:
            with conn.transaction():
                security_id = _security_id(conn, symbol, symbol.upper() if create_security else None)
                return _load(conn, security_id, timeframe, _csv_rows(path, progress), str(path))
        except psycopg.Error as err:
            raise errors.translate(err) from err


# -- simulated bars ------------------------------------------------------------------------------
_STEPS = {
    '1m': timedelta(minutes=1),
    '5m': timedelta(minutes=5),
    '15m': timedelta(minutes=15),
    '1h': timedelta(hours=1),
    '1d': timedelta(days=1),
    '1w': timedelta(weeks=1),
}
CENT = Decimal('0.0001')


def _next_bar(ts: datetime, timeframe: str) -> datetime:
    if timeframe == '1mo':
        return partitions.next_period(ts, 'month')
    return ts + _STEPS[timeframe]


def simulate_bars(
    symbol: str,
    *,
    start: date,
    days: int,
    timeframe: str = '1d',
    seed: int = 0,
    drift: float = 0.05,
    volatility: float = 0.25,
) -> Iterator[tuple[datetime, Decimal, Decimal, Decimal, Decimal, int]]:
    """Deterministic bars (ts, open, high, low, close, volume) over `days` days from `start`:
    closes follow geometric Brownian motion with annual drift and volatility; each bar opens at the
    previous close, and high/low lie beyond open and close, so every bar is valid OHLC."""
    rng = random.Random(f'{seed}:{symbol}')
    ts = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end = ts + timedelta(days=days)
    price = 20 + 180 * rng.random()
    while ts < end:
        following = _next_bar(ts, timeframe)
        dt = (following - ts).total_seconds() / (365.25 * 86400)
        step = volatility * math.sqrt(dt)
        close = price * math.exp((drift - volatility**2 / 2) * dt + step * rng.gauss(0, 1))
        # Quantizing is monotonic, so high >= max(open, close) and low <= min(open, close) survive it.
        high = max(price, close) * (1 + min(abs(rng.gauss(0, 1)) * step / 2, 0.2))
        low = min(price, close) * (1 - min(abs(rng.gauss(0, 1)) * step / 2, 0.2))
        volume = int(rng.lognormvariate(12, 0.5) * min(1.0, dt * 365.25))
        yield (
            ts,
            *(Decimal(v).quantize(CENT) for v in (price, high, low, close)),
            volume,
        )
        price, ts = close, following


def simulate(
    symbols: Iterable[str],
    *,
    days: int,
    timeframe: str = '1d',
    seed: int = 0,
    start: date | None = None,
    url: str | None = None,
) -> dict[str, LoadResult]:
    """Generate and load simulated bars per symbol (creating missing securities), one transaction each."""
    out = {}
    with db.connection(cluster.resolve_url(url), autocommit=True) as conn:
        if start is None:
            today = conn.execute("select (now() at time zone 'UTC')::date").fetchone()[0]
            start = today - timedelta(days)
        for symbol in symbols:
            bars = simulate_bars(symbol, start=start, days=days, timeframe=timeframe, seed=seed)
            rows = ((i, ts.isoformat(), *map(str, rest)) for i, (ts, *rest) in enumerate(bars, start=1))
            try:
                with conn.transaction():
                    security_id = _security_id(conn, symbol, f'{symbol.upper()} (simulated)')
                    out[symbol] = _load(conn, security_id, timeframe, rows, f'simulated {symbol}')
            except psycopg.Error as err:
                raise errors.translate(err) from err
    return out
