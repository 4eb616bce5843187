"""Measure `tradebase market import` throughput: N simulated 1m bars written to a CSV, imported twice.

.venv/bin/python scripts/bench_market_import.py [ROWS]    (DATABASE_URL, else the throwaway server)
"""

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tradebase import cluster, market


def main(rows: int) -> None:
    url = cluster.resolve_url()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / 'bench.csv'
        with path.open('w') as f:
            f.write('Date,Open,High,Low,Close,Volume\n')
            days = rows // 1440 + 1
            bars = market.simulate_bars('BENCH', start=date(2020, 1, 1), days=days, timeframe='1m')
            for _, (ts, o, h, low, c, v) in zip(range(rows), bars, strict=False):
                f.write(f'{ts:%Y-%m-%d %H:%M:%S},{o},{h},{low},{c},{v}\n')
        for label in ('first import', 're-import'):
            start = time.perf_counter()
            result = market.import_csv(path, 'BENCH', timeframe='1m', create_security=True, url=url)
            elapsed = time.perf_counter() - start
            print(f'{label}: {result.rows:,} rows in {elapsed:.1f}s = {result.rows / elapsed:,.0f} rows/s')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
