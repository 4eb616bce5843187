"""api.run_backtest against backtesting.py and a reference simulation (issue 16 §4; docs/strategies.md).

- SmaCross(10, 20), 10,000 cash, 0.2 % commission, long_only and long_short, on three generated series (a
  random walk, a trending series, one with opening gaps): backtesting.py's closed trades (entry and exit bars,
  sizes, prices) are ours exactly, its final equity and max drawdown ours to 1e-6 relative.
- rsi_reversion on 3,000 synthetic bars against the reference simulation below (TA-Lib's RSI loop, DESIGN
  §5's fills, bar by bar): equal trades, equity at every bar to 1e-9 relative.
- RLS, as the app login: another user's strategies, signals and backtests are invisible and refused (42501).

The comparison prints the largest differences it measured (pytest -s shows them).
"""

import datetime as dt
import io
import math
import uuid
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import psycopg
import pytest
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from psycopg import sql

from conftest import role_url

CASH = 10_000
COMMISSION = 0.002
START = dt.date(2001, 1, 1)
PASSWORD = 'correct horse battery staple'
SERIES = ('WALK', 'TREND', 'GAPS')
RSI_SYMBOL = 'RSIX'
RSI_BARS = 3000


def generated(kind: str, n: int, seed: int) -> pd.DataFrame:
    """OHLC bars with 6 decimals (stored exactly by market.market_data; ties of the averages unlikely)."""
    rng = np.random.default_rng(seed)
    drift = {'WALK': 0.0, 'TREND': 0.0015, 'GAPS': 0.0, 'RSIX': 0.0}[kind]
    close = 100 * np.exp(np.cumsum(drift + rng.normal(0, 0.02, n)))
    previous = np.concatenate([[100.0], close[:-1]])
    gap = rng.normal(0, 0.003, n)
    if kind == 'GAPS':
        jumps = rng.random(n) < 0.08
        gap = np.where(jumps, rng.choice([-1, 1], n) * rng.uniform(0.03, 0.12, n), gap)
    open_ = previous * np.exp(gap)
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.01, n))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.01, n))
    frame = pd.DataFrame(
        {'Open': open_, 'High': high, 'Low': low, 'Close': close},
        index=pd.date_range(START, periods=n, freq='D'),
    ).round(6)
    frame['High'] = frame[['Open', 'High', 'Close']].max(axis=1)
    frame['Low'] = frame[['Open', 'Low', 'Close']].min(axis=1)
    frame['Volume'] = 1000
    return frame


def load(conn, symbol: str, frame: pd.DataFrame) -> None:
    conn.execute("select api.upsert_security(%s, %s, 'stock')", [symbol, f'backtest {symbol}'])
    security = conn.execute('select id from market.securities where symbol = %s', [symbol]).fetchone()[0]
    buffer = io.StringIO()
    for ts, row in frame.iterrows():
        buffer.write(
            f'{security}\t1d\t{ts.isoformat()}+00\t{row.Open:.6f}\t{row.High:.6f}\t{row.Low:.6f}\t'
            f'{row.Close:.6f}\t{row.Volume}\n'
        )
    with conn.cursor().copy(
        'copy market.market_data (security_id, timeframe, ts, open, high, low, close, volume) from stdin'
    ) as copy:
        copy.write(buffer.getvalue())


@pytest.fixture(scope='module')
def market(db_url):
    frames = {kind: generated(kind, 1500, seed) for seed, kind in enumerate(SERIES, start=16)}
    frames[RSI_SYMBOL] = generated(RSI_SYMBOL, RSI_BARS, 1616)
    with psycopg.connect(db_url, autocommit=True) as su:
        for symbol, frame in frames.items():
            load(su, symbol, frame)
        su.execute("insert into auth.users (email, username) values ('bt@example.com', 'bt_runner')")
    return frames


def run_ours(db_url, strategy_type, parameters, symbol, n_bars, commission=COMMISSION):
    """Our backtest as one user (api.act_as on the superuser connection): trades, backtest row, equity."""
    with psycopg.connect(db_url, autocommit=True) as su, su.transaction():
        su.execute("select api.act_as((select id from auth.users where username = 'bt_runner'))")
        sid = su.execute(
            'select api.create_strategy(%s, %s, %s::jsonb)',
            [f'{strategy_type} {uuid.uuid4().hex[:8]}', strategy_type, psycopg.types.json.Jsonb(parameters)],
        ).fetchone()[0]
        end = START + dt.timedelta(days=n_bars - 1)
        bid = su.execute(
            'select api.run_backtest(%s, %s, %s, %s, %s::numeric, %s::numeric)',
            [sid, symbol, START, end, CASH, Decimal(str(commission))],
        ).fetchone()[0]
        trades = su.execute(
            'select size, entry_bar, exit_bar, entry_price, exit_price, pnl from api.backtest_trades '
            'where backtest_id = %s order by trade_no',
            [bid],
        ).fetchall()
        result = su.execute(
            'select final_equity, max_drawdown_pct, closed_trades, bars from api.backtests where id = %s',
            [bid],
        ).fetchone()
        equity = [
            float(e)
            for (e,) in su.execute(
                'select equity from api.backtest_equity where backtest_id = %s order by bar_no', [bid]
            )
        ]
    return trades, result, equity


class SmaCross(Strategy):
    n1 = 10
    n2 = 20
    mode = 'long_short'

    def init(self):
        def sma(values, n):
            return pd.Series(values).rolling(n).mean()

        self.sma1 = self.I(sma, self.data.Close, self.n1)
        self.sma2 = self.I(sma, self.data.Close, self.n2)

    def next(self):
        if crossover(self.sma1, self.sma2):
            if self.mode == 'long_short':
                self.position.close()
                self.buy()
            elif not self.position:
                self.buy()
        elif crossover(self.sma2, self.sma1):
            self.position.close()
            if self.mode == 'long_short':
                self.sell()


MEASURED: dict[str, float] = {'equity': 0.0, 'drawdown': 0.0, 'trades': 0, 'rsi_equity': 0.0}


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


@pytest.mark.parametrize('mode', ['long_only', 'long_short'])
@pytest.mark.parametrize('symbol', SERIES)
def test_sma_crossover_matches_backtesting_py(db_url, market, symbol, mode):
    frame = market[symbol]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # "some trades remain open": that trade is not counted, as ours
        stats = Backtest(frame, SmaCross, cash=CASH, commission=COMMISSION).run(mode=mode)
    theirs = stats._trades
    trades, (final_equity, max_drawdown, closed, bars), _ = run_ours(
        db_url, 'sma_crossover', {'fast': 10, 'slow': 20, 'mode': mode}, symbol, len(frame)
    )
    assert bars == len(frame)
    ours_closed = [t for t in trades if t[2] is not None]
    assert closed == len(ours_closed) == len(theirs) > 10
    for ours_trade, their in zip(ours_closed, theirs.itertuples(), strict=True):
        size, entry_bar, exit_bar, entry_price, exit_price, pnl = ours_trade
        assert (int(size), entry_bar, exit_bar) == (their.Size, their.EntryBar, their.ExitBar)
        assert float(entry_price) == their.EntryPrice
        assert float(exit_price) == their.ExitPrice
        assert math.isclose(float(pnl), their.PnL, rel_tol=1e-9, abs_tol=1e-6)
    e = relative(float(final_equity), stats['Equity Final [$]'])
    d = relative(max_drawdown, stats['Max. Drawdown [%]'])
    MEASURED['equity'] = max(MEASURED['equity'], e)
    MEASURED['drawdown'] = max(MEASURED['drawdown'], d)
    MEASURED['trades'] += closed
    print(f'\n{symbol} {mode}: {closed} trades equal; final equity rel. diff {e:.2e}, max drawdown {d:.2e}')
    assert e <= 1e-6
    assert d <= 1e-6


def ta_lib_rsi(close: np.ndarray, period: int) -> list[float | None]:
    """TA-Lib's TA_RSI loop (unstable period 0), transcribed: the simple mean of the first `period` changes,
    then (previous x (period - 1) + current) / period; 0 where gain + loss is within 1e-14 of 0."""
    out: list[float | None] = [None] * len(close)
    gain = loss = 0.0
    for i in range(1, len(close)):
        change = close[i] - close[i - 1]
        if i > period:
            gain *= period - 1
            loss *= period - 1
        if change < 0:
            loss -= change
        else:
            gain += change
        if i >= period:
            gain /= period
            loss /= period
            total = gain + loss
            out[i] = 0.0 if -1e-14 < total < 1e-14 else 100 * (gain / total)
    return out


def reference_rsi_reversion(frame: pd.DataFrame, period, oversold, overbought, commission):
    """DESIGN §5 bar by bar: a decision at bar i's close fills at bar i + 1's open; buy when flat and the RSI
    closed below oversold, close when it closed above overbought."""
    opens, closes = frame.Open.to_numpy(), frame.Close.to_numpy()
    rsi = ta_lib_rsi(closes, period)
    cash, size, entry, entry_bar, pending = float(CASH), 0, 0.0, None, None
    trades, equity = [], []
    for i in range(len(frame)):
        if pending == 'buy':
            units = math.floor(cash / (opens[i] * (1 + commission)))
            if units >= 1:
                size, entry, entry_bar = units, opens[i], i
                cash -= units * opens[i] * commission
        elif pending == 'close':
            cash += size * (opens[i] - entry) - size * opens[i] * commission
            trades.append((size, entry_bar, i, entry, opens[i]))
            size = 0
        pending = None
        equity.append(cash + size * (closes[i] - entry))
        if rsi[i] is not None:
            if size == 0 and rsi[i] < oversold:
                pending = 'buy'
            elif size > 0 and rsi[i] > overbought:
                pending = 'close'
    return trades, equity


@pytest.mark.parametrize(
    ('period', 'oversold', 'overbought', 'commission'),
    [(14, 30, 70, 0.002), (5, 25, 60, 0.0), (30, 45, 55, 0.01)],
)
def test_rsi_reversion_matches_the_reference_simulation(
    db_url, market, period, oversold, overbought, commission
):
    frame = market[RSI_SYMBOL]
    expected_trades, expected_equity = reference_rsi_reversion(
        frame, period, oversold, overbought, commission
    )
    trades, (_, _, closed, _), equity = run_ours(
        db_url,
        'rsi_reversion',
        {'period': period, 'oversold': oversold, 'overbought': overbought},
        RSI_SYMBOL,
        RSI_BARS,
        commission,
    )
    ours_closed = [
        (int(s), eb, xb, float(ep), float(xp)) for s, eb, xb, ep, xp, _ in trades if xb is not None
    ]
    assert closed == len(ours_closed) == len(expected_trades) > 5
    assert ours_closed == expected_trades
    worst = max(relative(a, b) for a, b in zip(equity, expected_equity, strict=True))
    MEASURED['rsi_equity'] = max(MEASURED['rsi_equity'], worst)
    label = f'rsi_reversion({period}, {oversold}, {overbought})'
    print(f'\n{label}: {closed} trades equal; equity rel. diff {worst:.2e}')
    assert worst <= 1e-9


def test_measured_accuracy_is_reported():
    """Runs last in this module: the largest differences over all comparisons above."""
    m = MEASURED
    print(
        f'\nover {m["trades"]} closed SmaCross trades: final equity rel. diff <= {m["equity"]:.2e}, '
        f'max drawdown <= {m["drawdown"]:.2e}; rsi_reversion equity <= {m["rsi_equity"]:.2e}'
    )


# -- RLS as the app login ------------------------------------------------------------------------------
def register(app, name):
    user_id = app.execute(
        'select api.register_user(%s, %s, %s)', [f'{name}@bt.example', name, PASSWORD]
    ).fetchone()[0]
    token = app.execute('select api.login(%s, %s)', [name, PASSWORD]).fetchone()[0]
    return user_id, token


def sqlstate(app, token, query, params=None):
    try:
        with app.transaction(force_rollback=True):
            app.execute('select api.authenticate(%s)', [token])
            app.execute(query, params)
    except psycopg.Error as err:
        return err.sqlstate
    return None


def test_another_users_strategies_and_backtests_are_invisible_and_refused(db_url, market):
    end = START + dt.timedelta(days=199)
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        _, alice = register(app, 'bt_alice')
        _, bob = register(app, 'bt_bob')
        with app.transaction():
            app.execute('select api.authenticate(%s)', [alice])
            strategy = app.execute(
                """select api.create_strategy('alice sma', 'sma_crossover', '{"fast": 5, "slow": 15}')"""
            ).fetchone()[0]
            signals = app.execute("select api.create_strategy('alice signals', 'signals', '{}')").fetchone()[
                0
            ]
            app.execute("select api.record_signal(%s, 'WALK', 'buy', '2001-01-05')", [signals])
            backtest = app.execute(
                "select api.run_backtest(%s, 'WALK', %s, %s)", [strategy, START, end]
            ).fetchone()[0]
            assert app.execute('select count(*) from api.backtest_trades').fetchone()[0] > 0
            assert app.execute('select count(*) from api.backtest_equity').fetchone()[0] == 200
        with app.transaction():
            app.execute('select api.authenticate(%s)', [bob])
            names = {r[0] for r in app.execute('select name from api.strategies')}
            assert 'alice sma' not in names and 'SMA Crossover 10/20' in names
            for schema, name in (
                ('api', 'signals'),
                ('api', 'backtests'),
                ('api', 'backtest_trades'),
                ('api', 'backtest_equity'),
                ('strategy', 'strategies'),
                ('strategy', 'signals'),
                ('strategy', 'backtests'),
                ('strategy', 'backtest_trades'),
                ('strategy', 'backtest_equity'),
            ):
                query = sql.SQL('select count(*) from {} where {}').format(
                    sql.Identifier(schema, name),
                    sql.SQL('user_id is not null' if name == 'strategies' else 'true'),
                )
                seen = app.execute(query).fetchone()
                assert seen[0] == 0, name
        for query, params in (
            ("select api.run_backtest(%s, 'WALK', %s, %s)", [strategy, START, end]),
            ("select api.update_strategy(%s, p_name => 'mine now')", [strategy]),
            ("select api.record_signal(%s, 'WALK', 'sell', '2001-01-09')", [signals]),
        ):
            assert sqlstate(app, bob, query, params) == '42501', query
        # The public catalogue: anyone backtests it, nobody changes it.
        public = None
        with app.transaction():
            app.execute('select api.authenticate(%s)', [bob])
            public = app.execute(
                "select id from api.strategies where name = 'SMA Crossover 10/20'"
            ).fetchone()[0]
            app.execute("select api.run_backtest(%s, 'WALK', %s, %s)", [public, START, end])
            assert app.execute('select count(*) from api.backtests').fetchone()[0] == 1
        assert sqlstate(app, bob, 'select api.update_strategy(%s, p_is_active => false)', [public]) == '42501'
        with app.transaction():
            app.execute('select api.authenticate(%s)', [alice])
            assert app.execute('select count(*) from api.backtests').fetchone()[0] == 1
            assert app.execute('select id from api.backtests').fetchone()[0] == backtest


def test_invariants_hold(conn, market):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
