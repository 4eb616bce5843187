"""make bench: backtests (issue 16 §5) and parameter sweeps (§3) against their yardsticks.

Starts a throwaway fast server (or uses DATABASE_URL, a superuser), migrates a scratch database and loads
`tradebase market simulate` bars (python/tradebase/market.py's simulate: deterministic geometric Brownian
motion), then measures, each figure the median of REPS runs after a warm-up:

(a) one SMA crossover backtest (10/20, long_short, 0.2 % commission; api.run_backtest as a user, in a
    transaction rolled back after the call) over BARS one-minute bars, against a plain SELECT of the same bars
    with both moving averages by window functions (reduced to one row on the server, so the figure is the
    database's work, not the transfer): limit LIMIT_BACKTEST times;
(b) backtesting.py (the dev dependency) on the same bars, read into pandas, SmaCross(10, 20) long_short with
    the same cash and commission (Backtest.run timed, loading excluded): the target is to be faster than it;
(c) api.sweep_backtest of 100 combinations (fast 5..14 x slow 20..65 step 5, long_only) over 2,520 daily bars
    (ten years of trading days), against one api.run_backtest of the same strategy over the same bars: limit
    LIMIT_SWEEP times.

Prints every figure and exits 1 when a limit is missed (--report-only: exit 0 all the same).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
import warnings

import pandas as pd
import psycopg

from tradebase import config, db, market, migrate
from tradebase.cluster import Cluster

LIMIT_BACKTEST = 3.0
LIMIT_SWEEP = 20.0
START = dt.date(2020, 1, 1)
CASH = 10_000
COMMISSION = 0.002
SWEEP_GRID = '{"fast": {"from": 5, "to": 14}, "slow": {"from": 20, "to": 65, "step": 5}}'
BASELINE = """
    select count(*), sum(m.fast), sum(m.slow)
    from (
        select
            d.ts,
            d.open,
            d.close,
            avg(d.close) over (order by d.ts rows between 9 preceding and current row) as fast,
            avg(d.close) over (order by d.ts rows between 19 preceding and current row) as slow
        from market.market_data as d
        where
            d.security_id = (select id from market.securities where symbol = %(symbol)s)
            and d.timeframe = %(timeframe)s
            and d.ts >= %(start)s::timestamp at time zone 'UTC'
            and d.ts < (%(end)s::date + 1)::timestamp at time zone 'UTC'
    ) as m
"""


def timed(conn: psycopg.Connection, sql: str, params=None, rollback: bool = False) -> float:
    """Milliseconds of one statement as the bench user; with rollback in a transaction rolled back after."""
    with conn.transaction(force_rollback=rollback):
        conn.execute("select api.act_as((select id from auth.users where username = 'bench_bt'))")
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        return (time.perf_counter() - start) * 1000


def median_ms(conn, sql, params, reps, rollback=False) -> float:
    timed(conn, sql, params, rollback)  # warm up: caches, plans
    return statistics.median(timed(conn, sql, params, rollback) for _ in range(reps))


def backtesting_py_ms(conn: psycopg.Connection, symbol: str, timeframe: str, reps: int) -> tuple[float, int]:
    """Median milliseconds of backtesting.py's Backtest.run on the bars, and its closed trades."""
    os.environ.setdefault('TQDM_DISABLE', '1')  # its progress bar, not part of the figure
    from backtesting import Backtest, Strategy
    from backtesting.lib import crossover

    class SmaCross(Strategy):
        n1 = 10
        n2 = 20

        def init(self):
            def sma(values, n):
                return pd.Series(values).rolling(n).mean()

            self.sma1 = self.I(sma, self.data.Close, self.n1)
            self.sma2 = self.I(sma, self.data.Close, self.n2)

        def next(self):
            if crossover(self.sma1, self.sma2):
                self.position.close()
                self.buy()
            elif crossover(self.sma2, self.sma1):
                self.position.close()
                self.sell()

    rows = conn.execute(
        """select d.ts, d.open::float8, d.high::float8, d.low::float8, d.close::float8, d.volume::float8
           from market.market_data as d inner join market.securities as s on d.security_id = s.id
           where s.symbol = %s and d.timeframe = %s order by d.ts""",
        [symbol, timeframe],
    ).fetchall()
    frame = pd.DataFrame(rows, columns=['ts', 'Open', 'High', 'Low', 'Close', 'Volume']).set_index('ts')
    frame.index = frame.index.tz_convert(None)
    times, trades = [], 0
    for _ in range(reps):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            bt = Backtest(frame, SmaCross, cash=CASH, commission=COMMISSION)
            start = time.perf_counter()
            stats = bt.run()
            times.append((time.perf_counter() - start) * 1000)
        trades = int(stats['# Trades'])
    return statistics.median(times), trades


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bars', type=int, default=500_000, help='one-minute bars for (a) and (b)')
    parser.add_argument('--sweep-bars', type=int, default=2_520, help='daily bars for (c)')
    parser.add_argument('--reps', type=int, default=3, help='runs of each measurement (median)')
    parser.add_argument(
        '--report-only', action='store_true', help='print the verdicts but exit 0 above a limit'
    )
    args = parser.parse_args(argv)

    cluster = None
    if env := config.database_url():
        server_url = db.with_dbname(env, 'postgres')
    else:
        cluster = Cluster.temporary(fast=True)
        cluster.start()
        server_url = cluster.url('postgres')
    name = f'bench_backtests_{uuid.uuid4().hex[:8]}'
    days = -(-args.bars // 1440)
    end = START + dt.timedelta(days=days - 1)
    sweep_end = START + dt.timedelta(days=args.sweep_bars - 1)
    try:
        url = db.create_database(server_url, name)
        print('migrating …', flush=True)
        migrate.migrate(url, echo=lambda *_: None)
        print(f'simulating {days} days of one-minute bars and {args.sweep_bars:,} daily bars …', flush=True)
        market.simulate(['BTMIN'], days=days, timeframe='1m', seed=16, start=START, url=url)
        market.simulate(['BTDAY'], days=args.sweep_bars, timeframe='1d', seed=16, start=START, url=url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute('set jit = off')
            conn.execute('analyze market.market_data')
            conn.execute(
                "insert into auth.users (email, username) values ('bench-bt@example.com', 'bench_bt')"
            )
            with conn.transaction():
                conn.execute("select api.act_as((select id from auth.users where username = 'bench_bt'))")
                long_short = conn.execute(
                    """select api.create_strategy('bench 10/20', 'sma_crossover',
                       '{"fast": 10, "slow": 20, "mode": "long_short"}')"""
                ).fetchone()[0]
                long_only = conn.execute(
                    """select api.create_strategy('bench sweep', 'sma_crossover', '{"fast": 10}')"""
                ).fetchone()[0]
            bars = conn.execute("select count(*) from market.market_data where timeframe = '1m'").fetchone()[
                0
            ]
            print(f'(a) {bars:,} one-minute bars', flush=True)
            plain = median_ms(
                conn, BASELINE, {'symbol': 'BTMIN', 'timeframe': '1m', 'start': START, 'end': end}, args.reps
            )
            backtest = median_ms(
                conn,
                'select api.run_backtest(%s, %s, %s, %s, %s::numeric, %s::numeric, %s)',
                [long_short, 'BTMIN', START, end, CASH, COMMISSION, '1m'],
                args.reps,
                rollback=True,
            )
            print(f'    plain SELECT with both moving averages {plain:,.0f} ms', flush=True)
            print(
                f'    api.run_backtest (SMA 10/20 long_short) {backtest:,.0f} ms: {backtest / plain:.2f}x',
                flush=True,
            )
            print('(b) backtesting.py on the same bars …', flush=True)
            theirs, trades = backtesting_py_ms(conn, 'BTMIN', '1m', args.reps)
            faster = (
                f'ours {theirs / backtest:.2f}x faster'
                if backtest < theirs
                else f'ours {backtest / theirs:.2f}x slower'
            )
            print(
                f'    backtesting.py Backtest.run {theirs:,.0f} ms ({trades:,} trades): {faster}', flush=True
            )
            one = median_ms(
                conn,
                'select api.run_backtest(%s, %s, %s, %s, %s::numeric, %s::numeric)',
                [long_only, 'BTDAY', START, sweep_end, CASH, COMMISSION],
                args.reps,
                rollback=True,
            )
            sweep = median_ms(
                conn,
                'select * from api.sweep_backtest(%s, %s, %s, %s, %s::jsonb, %s::numeric, %s::numeric)',
                [long_only, 'BTDAY', START, sweep_end, SWEEP_GRID, CASH, COMMISSION],
                args.reps,
                rollback=True,
            )
            print(
                f'(c) {args.sweep_bars:,} daily bars: one api.run_backtest {one:,.0f} ms, '
                f'api.sweep_backtest of 100 combinations {sweep:,.0f} ms: {sweep / one:.2f}x',
                flush=True,
            )
    finally:
        if cluster:
            cluster.destroy()
        else:
            db.drop_database(server_url, name)
    verdicts = [
        (
            f'backtest / plain SELECT {backtest / plain:.2f}x',
            backtest / plain <= LIMIT_BACKTEST,
            f'limit {LIMIT_BACKTEST:.0f}x',
        ),
        (
            f'backtest {backtest:,.0f} ms vs backtesting.py {theirs:,.0f} ms',
            backtest < theirs,
            'target: faster',
        ),
        (
            f'sweep of 100 / one backtest {sweep / one:.2f}x',
            sweep / one <= LIMIT_SWEEP,
            f'limit {LIMIT_SWEEP:.0f}x',
        ),
    ]
    print()
    for text, met, limit in verdicts:
        print(f'{text} ({limit}: {"met" if met else "missed"})')
    return 0 if all(m for _, m, _ in verdicts) or args.report_only else 1


if __name__ == '__main__':
    sys.exit(main())
