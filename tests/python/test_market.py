"""tradebase market import (COPY, all or nothing, upsert, constant memory) and simulate (deterministic)."""

import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tradebase import cli, errors, market

GOOD = """Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,100,110,95,105,104.5,1000
2024-01-03,105,108,101,107.25,106.9,1200
2024-01-04T00:00:00Z,107.25,107.25,99,100,99.5,
"""


def write(tmp_path, text: str, name: str = 'bars.csv'):
    path = tmp_path / name
    path.write_text(text)
    return path


def bars(conn, symbol: str, timeframe: str = '1d') -> list[tuple]:
    return conn.execute(
        "select ts, open, high, low, close, volume from market.bars(%s, %s, '-infinity', 'infinity')",
        [symbol, timeframe],
    ).fetchall()


def assert_invariants(conn):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []


def test_import_loads_a_valid_file(db_url, conn, tmp_path):
    seen = []
    result = market.import_csv(
        write(tmp_path, GOOD),
        'good',
        create_security=True,
        url=db_url,
        progress=lambda *p: seen.append(p),
    )
    assert (result.rows, result.inserted, result.updated) == (3, 3, 0)
    assert bars(conn, 'GOOD') == [
        (datetime(2024, 1, 2, tzinfo=UTC), 100, 110, 95, 105, 1000),
        (datetime(2024, 1, 3, tzinfo=UTC), 105, 108, 101, Decimal('107.25'), 1200),
        (datetime(2024, 1, 4, tzinfo=UTC), Decimal('107.25'), Decimal('107.25'), 99, 100, 0),
    ]
    assert seen[-1][0] == 3 and seen[-1][1] == seen[-1][2], 'progress ends at the whole file'
    # The rows live in the month's child, not the default (the import ensured the range).
    assert conn.execute('select count(*) from market.market_data_p2024_01').fetchone() == (3,)
    assert_invariants(conn)


def test_reimport_is_idempotent_and_updates_changed_bars(db_url, conn, tmp_path):
    path = write(tmp_path, GOOD)
    market.import_csv(path, 'again', create_security=True, url=db_url)
    before = bars(conn, 'AGAIN')
    again = market.import_csv(path, 'AGAIN', url=db_url)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert bars(conn, 'AGAIN') == before
    changed = market.import_csv(
        write(tmp_path, GOOD.replace('105,108', '105,109'), 'b.csv'), 'AGAIN', url=db_url
    )
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 2)


def test_bad_rows_are_reported_by_line_and_nothing_loads(db_url, conn, tmp_path):
    market.import_csv(write(tmp_path, GOOD), 'bad', create_security=True, url=db_url)
    before = bars(conn, 'BAD')
    text = (
        'Date,Open,High,Low,Close,Volume\n'
        '2024-02-01,10,11,9,10.5,100\n'  # line 2: fine
        '2024-02-30,10,11,9,10.5,100\n'  # line 3: no such day
        '2024-02-02,abc,11,9,10.5,100\n'  # line 4: not a number
        '2024-02-03,10,9,10.2,10.5,100\n'  # line 5: high below open/close, low above open
        '2024-02-04,-1,11,-2,10.5,-5\n'  # line 6: negative prices and volume
        '2024-02-01,10,11,9,10.5,100\n'  # line 7: repeats line 2
        '2024-02-05,10,11,9\n'  # line 8: close missing
        '2024-02-06,1e20,1e20,1e20,1e20,1\n'  # line 9: out of range
    )
    with pytest.raises(market.ImportRejected) as caught:
        market.import_csv(write(tmp_path, text), 'BAD', url=db_url)
    lines = {}
    for line, problem in caught.value.problems:
        lines.setdefault(line, []).append(problem)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert lines[3] == ["Date '2024-02-30' is not a date or timestamp"]
    assert lines[4] == ["Open 'abc' is not a number"]
    assert lines[5] == ['breaks market_data_high_is_highest_ck', 'breaks market_data_low_is_lowest_ck']
    assert 'breaks market_data_prices_positive_ck' in lines[6]
    assert 'breaks market_data_volume_not_negative_ck' in lines[6]
    assert lines[7] == ['Date repeats line 2']
    assert lines[8] == ['Close NULL is not a number']
    assert len(lines[9]) == 4
    assert 'nothing was loaded' in str(caught.value)
    assert bars(conn, 'BAD') == before


def test_bars_beyond_the_limits_are_reported(db_url, conn, tmp_path):
    """docs/trading.md, Limits: a price that would round to zero or lies above app.max_price(), a
    volume with an 11th decimal and a bar from beyond the clock skew are reported by line; before, the
    first failed the import with a raw 23514 and the others loaded (a bar from the future stays the
    newest bar, and the last one every resting order has seen, until the clock catches up)."""
    market.import_csv(write(tmp_path, GOOD), 'limits', create_security=True, url=db_url)
    before = bars(conn, 'LIMITS')
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    text = (
        'Date,Open,High,Low,Close,Volume\n'
        '2024-03-01,10,11,9,10.5,100\n'  # line 2: fine
        '2024-03-04,0.000000001,11,0.000000001,10.5,100\n'  # line 3: rounds to zero
        '2024-03-05,10,1000000000.5,9,10.5,100\n'  # line 4: above app.max_price()
        '2024-03-06,10,11,9,10.5,100.00000000001\n'  # line 5: a volume with 11 decimals
        f'{future},10,11,9,10.5,100\n'  # line 6: three days ahead
    )
    with pytest.raises(market.ImportRejected) as caught:
        market.import_csv(write(tmp_path, text), 'LIMITS', url=db_url)
    assert caught.value.problems == [
        (3, 'a price has more than 8 decimals'),
        (4, 'a price is above the largest, 1000000000'),
        (5, 'Volume 100.00000000001 is above 10^17 or has more than 10 decimals'),
        (6, f'Date {future} lies more than 00:05:00 ahead of the clock'),
    ]
    assert bars(conn, 'LIMITS') == before
    assert_invariants(conn)


def test_unusable_files_and_unknown_symbols(db_url, tmp_path):
    with pytest.raises(market.ImportRejected, match='does not exist'):
        market.import_csv(write(tmp_path, GOOD), 'NOPE', url=db_url)
    with pytest.raises(market.ImportRejected, match='lacks close'):
        market.import_csv(write(tmp_path, 'Date,Open,High,Low\n'), 'NOPE', create_security=True, url=db_url)
    with pytest.raises(market.ImportRejected, match='empty'):
        market.import_csv(write(tmp_path, ''), 'NOPE', create_security=True, url=db_url)
    with pytest.raises(errors.InvalidParameter):
        market.import_csv(write(tmp_path, GOOD), 'no spaces', create_security=True, url=db_url)


def test_cli_import_reports_bad_lines(db_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('DATABASE_URL', db_url)
    path = write(tmp_path, GOOD)
    assert cli.main(['market', 'import', str(path), '--symbol', 'CLI', '--create-security']) == 0
    assert 'CLI: 3 bars, 3 new, 0 updated, 0 unchanged' in capsys.readouterr().out
    bad = write(tmp_path, 'Date,Open,High,Low,Close\n2024-01-02,1,1,1,x\n', 'bad.csv')
    assert cli.main(['market', 'import', str(bad), '--symbol', 'CLI']) == 2
    assert "line 2: Close 'x' is not a number" in capsys.readouterr().err


@pytest.mark.slow
def test_a_large_file_imports_in_constant_memory(db_url, conn, tmp_path):
    rows = 120_000
    path = tmp_path / 'large.csv'
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with path.open('w') as f:
        f.write('Date,Open,High,Low,Close,Volume\n')
        for i in range(rows):
            ts = start + timedelta(minutes=i)
            f.write(f'{ts:%Y-%m-%d %H:%M:%S},{100 + i % 7},{108},{99},{100 + i % 5},{i}\n')
    size = path.stat().st_size
    tracemalloc.start()
    try:
        result = market.import_csv(path, 'LARGE', timeframe='1m', create_security=True, url=db_url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.inserted == rows
    assert size > 4_500_000
    assert peak < 2_000_000, f'peak Python memory {peak} bytes for a {size} byte file'
    assert conn.execute(
        'select count(*) from market.market_data where security_id = '
        "(select id from market.securities where symbol = 'LARGE')"
    ).fetchone() == (rows,)
    assert conn.execute('select count(*) from market.market_data_default').fetchone() == (0,)


def test_simulated_bars_are_deterministic_and_valid():
    a = list(market.simulate_bars('AAA', start=date(2024, 1, 1), days=300, seed=7))
    assert a == list(market.simulate_bars('AAA', start=date(2024, 1, 1), days=300, seed=7))
    assert a != list(market.simulate_bars('AAA', start=date(2024, 1, 1), days=300, seed=8))
    assert a != list(market.simulate_bars('BBB', start=date(2024, 1, 1), days=300, seed=7))
    assert len(a) == 300
    for (_, o, h, low, c, v), nxt in zip(a, [*a[1:], None], strict=True):
        assert h >= max(o, c, low) and low <= min(o, c) and low > 0 and v >= 0
        if nxt:
            assert nxt[1] == c, 'each bar opens at the previous close'
    hourly = list(market.simulate_bars('AAA', start=date(2024, 1, 1), days=2, timeframe='1h'))
    assert len(hourly) == 48
    monthly = list(market.simulate_bars('AAA', start=date(2024, 1, 1), days=366, timeframe='1mo'))
    assert [b[0].month for b in monthly] == list(range(1, 13))


def test_simulate_loads_the_same_bars_twice(db_url, conn, capsys, monkeypatch):
    first = market.simulate(['SIMA', 'SIMB'], days=60, seed=3, start=date(2024, 3, 1), url=db_url)
    assert {s: r.inserted for s, r in first.items()} == {'SIMA': 60, 'SIMB': 60}
    loaded = bars(conn, 'SIMA')
    expected = list(market.simulate_bars('SIMA', start=date(2024, 3, 1), days=60, seed=3))
    assert loaded == [(ts, o, h, low, c, v) for ts, o, h, low, c, v in expected]

    monkeypatch.setenv('DATABASE_URL', db_url)
    args = [
        'market',
        'simulate',
        '--symbols',
        'SIMA,SIMB',
        '--days',
        '60',
        '--seed',
        '3',
        '--start',
        '2024-03-01',
    ]
    assert cli.main(args) == 0
    assert 'SIMA: 60 bars, 0 new, 0 updated, 60 unchanged' in capsys.readouterr().out
    assert bars(conn, 'SIMA') == loaded
    assert_invariants(conn)
