-- Backtests (issue 16 §2, DESIGN §5 "Backtests", docs/strategies.md): each building block on figures worked
-- out by hand (strategy.range_bars, sma_crossings, wilder_rsi, rsi_entries, signal_entries, simulate), a whole
-- api.run_backtest of each backtestable type checked by hand (trades, equity curve, every figure), ruin, and
-- every documented error of api.run_backtest with nothing stored after it. The comparison with
-- backtesting.py on generated series is tests/python/test_backtests.py.
begin;
select plan(59);

insert into auth.users (email, username) values ('bt-a@example.com', 'bt_a'), ('bt-b@example.com', 'bt_b');
create temporary table t as
select
    (select id from auth.users where username = 'bt_a') as a,
    (select id from auth.users where username = 'bt_b') as b;
do $$ begin perform api.upsert_security('HAND', 'Backtest by hand', 'stock'); end $$;
do $$ begin perform api.upsert_security('RUIN', 'Backtest ruin', 'stock'); end $$;
do $$ begin perform api.upsert_security('BARE', 'No bars', 'stock'); end $$;

-- Eight daily bars from 2024-01-01 (opens and closes; high and low bound them).
--   bar     0   1   2   3   4    5     6   7
--   open   10  10   9   8   9  11.5   12  8.5
--   close  10   9   8   9  11  12     9   8
-- SMA(2) / SMA(3) at bars 2..7: 8.5/9, 8.5/8.667, 10/9.333, 11.5/10.667, 10.5/10.667, 8.5/9.667: a cross up at
-- bar 4 (fast was below at 3, above at 4) and a cross down at bar 6.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2024-01-01' + v.i, v.o, greatest(v.o, v.c), least(v.o, v.c), v.c
from market.securities as s,
    (values (0, 10, 10), (1, 10, 9), (2, 9, 8), (3, 8, 9), (4, 9, 11), (5, 11.5, 12), (6, 12, 9), (7, 8.5, 8)) as v (i, o, c)
where s.symbol = 'HAND';
-- RUIN: up, then down (a cross down of SMA(2) under SMA(3) at bar 4), then the price triples at bar 5's close.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2024-01-01' + v.i, v.o, greatest(v.o, v.c), least(v.o, v.c), v.c
from market.securities as s,
    (values (0, 10, 10), (1, 10, 11), (2, 11, 12), (3, 12, 11), (4, 11, 9), (5, 9, 30), (6, 30, 40)) as v (i, o, c)
where s.symbol = 'RUIN';
-- TINY: a price of 10^-8, on which a capital of 10^15 buys 10^23 units, beyond numeric(28,10).
do $$ begin perform api.upsert_security('TINY', 'Backtest tiny price', 'stock'); end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2024-01-01' + v.i, 0.00000001, 0.00000001, 0.00000001, 0.00000001
from market.securities as s, generate_series(0, 2) as v (i)
where s.symbol = 'TINY';
create temporary table hand as select id from market.securities where symbol = 'HAND';

-- 1. The building blocks.
select results_eq(
    $$ select bar_no, ts, open::numeric, close::numeric
       from strategy.range_bars((select id from hand), '1d', '2024-01-03', '2024-01-04') order by bar_no $$,
    $$ values (0, '2024-01-03 00:00+00'::timestamptz, 9::numeric, 8::numeric), (1, '2024-01-04 00:00+00', 8, 9) $$,
    'range_bars: the bars starting on the UTC days of the range, numbered from 0'
);
select results_eq(
    $$ select bar_no, direction from strategy.sma_crossings((select id from hand), '1d', '2024-01-01', '2024-01-08', 2, 3) $$,
    $$ values (4, 1), (6, -1) $$,
    'sma_crossings: up at bar 4, down at bar 6'
);
select results_eq(
    $$ select bar_no, direction, fill_at, fill_open::numeric
       from strategy.sma_crossings((select id from hand), '1d', '2024-01-01', '2024-01-07', 2, 3) $$,
    $$ values (4, 1, '2024-01-06 00:00+00'::timestamptz, 11.5::numeric), (6, -1, null, null) $$,
    'sma_crossings: each crossing fills at the next bar''s start and open; one on the last bar has no fill'
);
select results_eq(
    $$ select bar_no, target, fill_at, fill_open::numeric
       from strategy.rsi_entries((select id from hand), '1d', '2024-01-01', '2024-01-08', 2, 40, 80) $$,
    $$ values (2, 1, '2024-01-04 00:00+00'::timestamptz, 8::numeric), (4, 0, '2024-01-06 00:00+00', 11.5),
              (6, 1, '2024-01-08 00:00+00', 8.5) $$,
    'rsi_entries: each decision fills at the next bar''s start and open'
);
-- SMA(3) / SMA(5): bar 4 9.33 / 9.4, bar 5 10.67 / 9.8 (up), bar 6 10.67 / 10.2, bar 7 9.67 / 9.8 (down).
select results_eq(
    $$ select bar_no, direction from strategy.sma_crossings((select id from hand), '1d', '2024-01-01', '2024-01-08', 3, 5) $$,
    $$ values (5, 1), (7, -1) $$,
    'sma_crossings: another pair of windows'
);
select is(strategy.last_of_day('2024-01-03 09:30+00', '2024-01-03 09:31+00'), false,
    'last_of_day: a bar followed by one on the same UTC day is not');
select is(strategy.last_of_day('2024-01-03 23:59+00', '2024-01-04 00:00+00'), true,
    'last_of_day: a bar followed by one on the next UTC day is (in any session time zone: UTC days)');
select is(strategy.last_of_day('2024-01-03 09:30+00', null), true, 'last_of_day: the last bar of the range is');
-- Closes 1, 2, 3, 2 with period 2: changes +1, +1 (averages 1 and 0: RSI 100), then -1: (1·1 + 0) / 2 = 0.5 and
-- (0·1 + 1) / 2 = 0.5, RSI 50. Flat closes: gain + loss = 0, RSI 0 as in TA-Lib.
select results_eq(
    $$ select strategy.wilder_rsi(d, 2) over (order by i)
       from (select i, c - lag(c) over (order by i) as d from (values (1, 1.0), (2, 2.0), (3, 3.0), (4, 2.0)) as v (i, c)) as x
       order by i $$,
    $$ values (null::double precision), (null), (100), (50) $$,
    'wilder_rsi: null until period changes, then TA-Lib''s seed and smoothing'
);
select results_eq(
    $$ select strategy.wilder_rsi(d, 2) over (order by i)
       from (select i, c - lag(c) over (order by i) as d from (values (1, 5.0), (2, 5.0), (3, 5.0)) as v (i, c)) as x
       order by i $$,
    $$ values (null::double precision), (null), (0) $$,
    'wilder_rsi: no movement at all is an RSI of 0, as TA-Lib gives'
);
-- HAND's RSI(2): bar 2 (changes -1, -1): 0; bar 3 (+1): gain 0.5 loss 0.5, 50; bar 4 (+2): 1.25 / 0.25, 83.3;
-- bar 5 (+1): 1.125 / 0.125, 90; bar 6 (-3): 0.5625 / 1.5625, 26.5; bar 7 (-1): 0.28 / 1.28, 18.
select results_eq(
    $$ select bar_no, target from strategy.rsi_entries((select id from hand), '1d', '2024-01-01', '2024-01-08', 2, 40, 80) $$,
    $$ values (2, 1), (4, 0), (6, 1) $$,
    'rsi_entries: the first bar of each change of zone (below 40: long, above 80: flat)'
);
-- simulate's decisions: the deciding bar, the target, and the start and open of the next bar (the fill).
select results_eq(
    $$ select trade_no, size, entry_bar, entry_at, entry_price, entry_cash, exit_bar, exit_at, exit_price, exit_cash, pnl,
              commission
       from strategy.simulate('{0, 1}', '{1, 1}', '{2024-01-02, 2024-01-03}', '{10, 12}', false, 100, 0) $$,
    $$ values (1, 10::numeric, 1, '2024-01-02 00:00+00'::timestamptz, 10::numeric, 100::numeric, null::integer,
               null::timestamptz, null::numeric, null::numeric, null::numeric, 0::numeric) $$,
    'simulate: a second target in the same direction changes nothing; the open trade comes last, exit null'
);
select results_eq(
    $$ select trade_no, size, entry_bar, exit_bar, exit_at, exit_price, exit_cash, pnl
       from strategy.simulate('{0, 1}', '{1, 1}', '{2024-01-02, 2024-01-03}', '{10, 12}', true, 100, 0) $$,
    $$ values (1, 10::numeric, 1, 2, '2024-01-03 00:00+00'::timestamptz, 12::numeric, 120::numeric, 20::numeric),
              (2, 10::numeric, 2, null, null, null, null, null) $$,
    'simulate with p_reverse: every decision closes the trade and opens one (sized on the cash after the close)'
);
select results_eq(
    $$ select trade_no, size, entry_bar, exit_bar, pnl, commission
       from strategy.simulate('{0, 1, 3}', '{-1, 0, 1}', '{2024-01-02, 2024-01-03, null}', '{10, 8, null}', false, 100,
           0.01) $$,
    $$ values (1, -9::numeric, 1, 2, 9 * 2 - 0.9 - 0.72, 0.9 + 0.72) $$,
    'simulate: a short of floor(100 / 10.1) = 9, closed with commission at both ends; nothing after the last bar'
);
select is_empty(
    $$ select * from strategy.simulate('{0}', '{1}', '{2024-01-02}', '{200}', false, 100, 0) $$,
    'simulate: below one unit nothing opens'
);

-- 2. api.run_backtest by hand: SMA(2, 3) long_only on HAND, capital 1000, commission 1 %.
--    Cross up at bar 4: buy at bar 5's open 11.5, floor(1000 / 11.615) = 86 units, commission 9.89, cash 990.11.
--    Cross down at bar 6: close at bar 7's open 8.5, commission 7.31: P&L 86 × -3 - 17.2 = -275.2, cash 724.8.
--    Equity: 1000 to bar 4; bar 5 990.11 + 86 × 0.5 = 1033.11; bar 6 990.11 - 86 × 2.5 = 775.11; bar 7 724.8.
do $$ begin perform api.act_as((select a from t)); end $$;
create temporary table s as
select
    api.create_strategy('hand long', 'sma_crossover', '{"fast": 2, "slow": 3}') as long_only,
    api.create_strategy('hand long short', 'sma_crossover', '{"fast": 2, "slow": 3, "mode": "long_short"}') as long_short,
    api.create_strategy('hand rsi', 'rsi_reversion', '{"period": 2, "oversold": 40, "overbought": 80}') as rsi,
    api.create_strategy('hand signals', 'signals', '{}') as sig,
    api.create_strategy('hand ml', 'ml', '{}') as ml;
create temporary table r as
select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0.01) as id;
select results_eq(
    $$ select trade_no, size, entry_bar, entry_at, entry_price::numeric, exit_bar, exit_at, exit_price::numeric,
              pnl::numeric, commission::numeric, round(return_pct::numeric, 10)
       from api.backtest_trades where backtest_id = (select id from r) $$,
    $$ values (1, 86::numeric, 5, '2024-01-06 00:00+00'::timestamptz, 11.5::numeric, 7, '2024-01-08 00:00+00'::timestamptz,
               8.5::numeric, -275.2::numeric, 17.2::numeric, round(-275.2 / (86 * 11.5) * 100, 10)) $$,
    'the one trade: entry and exit bars, prices, P&L after both commissions, its return'
);
select results_eq(
    $$ select bar_no, position, equity::numeric from api.backtest_equity where backtest_id = (select id from r) order by bar_no $$,
    $$ values (0, 0::numeric, 1000::numeric), (1, 0, 1000), (2, 0, 1000), (3, 0, 1000), (4, 0, 1000), (5, 86, 1033.11),
              (6, 86, 775.11), (7, 0, 724.8) $$,
    'the equity curve: cash plus the open trade at each close'
);
select results_eq(
    $$ select status, bars, final_equity::numeric, return_pct, buy_hold_return_pct, closed_trades, winning_trades,
              losing_trades, win_rate_pct, profit_factor, commissions::numeric, exposure_pct
       from api.backtests where id = (select id from r) $$,
    $$ values ('completed'::text, 8, 724.8::numeric, -27.52::double precision, 0::double precision, 1, 0, 1,
               0::double precision, 0::double precision, 17.2::numeric, 37.5::double precision) $$,
    'the figures: final equity, return, buy and hold from the close of bar slow - 1, trades, commissions, exposure'
);
select ok(
    (select abs(max_drawdown_pct - (724.8 / 1033.11 - 1) * 100) < 1e-12 from api.backtests where id = (select id from r)),
    'max drawdown: the last equity against the peak 1033.11'
);
select results_eq(
    $$ select round(avg_trade_pct::numeric, 10), round(best_trade_pct::numeric, 10), round(worst_trade_pct::numeric, 10)
       from api.backtests where id = (select id from r) $$,
    $$ values (round(-275.2 / 989 * 100, 10), round(-275.2 / 989 * 100, 10), round(-275.2 / 989 * 100, 10)) $$,
    'average, best and worst trade: the one trade''s return'
);
select results_eq(
    $$ select b.sharpe_ratio, b.sortino_ratio, b.calmar_ratio from api.backtests as b where b.id = (select id from r) $$,
    $$ select m.sharpe_ratio, m.sortino_ratio, m.calmar_ratio
       from analytics.return_metrics(array[0, 0, 0, 0, 1033.11::float8 / 1000 - 1, 775.11::float8 / 1033.11::float8 - 1,
           724.8::float8 / 775.11::float8 - 1]) as m $$,
    'Sharpe, Sortino and Calmar: analytics.return_metrics of the daily returns of the equity curve'
);
select results_eq(
    $$ select strategy_type, parameters, symbol, timeframe, start_date, end_date, initial_capital::numeric,
              commission::numeric, first_bar_at, last_bar_at
       from api.backtests where id = (select id from r) $$,
    $$ values ('sma_crossover'::text, '{"fast": 2, "slow": 3, "mode": "long_only"}'::jsonb, 'HAND'::text, '1d'::text,
               '2024-01-01'::date, '2024-01-08'::date, 1000::numeric, 0.01::numeric, '2024-01-01 00:00+00'::timestamptz,
               '2024-01-08 00:00+00'::timestamptz) $$,
    'the configuration is stored with the results'
);

-- long_short: at bar 7's open the long closes (cash 724.8) and a short of floor(724.8 / 8.585) = 84 opens
-- (commission 7.14, cash 717.66); at bar 7's close it is marked at 8: 717.66 + 84 × 0.5 = 759.66. Not closed.
create temporary table r2 as
select api.run_backtest((select long_short from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0.01) as id;
select results_eq(
    $$ select trade_no, size, entry_bar, exit_bar, entry_price::numeric, pnl::numeric, commission::numeric
       from api.backtest_trades where backtest_id = (select id from r2) order by trade_no $$,
    $$ values (1, 86::numeric, 5, 7, 11.5::numeric, -275.2::numeric, 17.2::numeric),
              (2, -84::numeric, 7, null, 8.5::numeric, null::numeric, 7.14::numeric) $$,
    'long_short: the cross down closes the long and opens a short on the same open; it stays open'
);
select results_eq(
    $$ select final_equity::numeric, closed_trades, commissions::numeric, exposure_pct
       from api.backtests where id = (select id from r2) $$,
    $$ values (759.66::numeric, 1, 17.2::numeric, 37.5::double precision) $$,
    'the open short is marked at the last close and not counted (nor its commission); its bar counts once'
);

-- rsi_reversion(2, 40, 80): long at bar 2 (fills at bar 3's open 8: floor(1000 / 8.08) = 123, commission 9.84),
-- flat at bar 4 (bar 5's open 11.5: 123 × 3.5 - 9.84 - 14.145 = 406.515), long at bar 6 (bar 7's open 8.5:
-- floor(1406.515 / 8.585) = 163 units, still open).
create temporary table r3 as
select api.run_backtest((select rsi from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0.01) as id;
select results_eq(
    $$ select size, entry_bar, exit_bar, pnl::numeric from api.backtest_trades where backtest_id = (select id from r3)
       order by trade_no $$,
    $$ values (123::numeric, 3, 5, 406.515::numeric), (163::numeric, 7, null, null) $$,
    'rsi_reversion: buys after the RSI closes below oversold, sells after it closes above overbought'
);
select results_eq(
    $$ select buy_hold_return_pct, final_equity::numeric from api.backtests where id = (select id from r3) $$,
    $$ values ((8 / 8.0 - 1) * 100::double precision, (1406.515 - 163 * 8.5 * 0.01 + 163 * (8 - 8.5))::numeric) $$,
    'rsi_reversion: buy and hold from the close of bar period; the open trade marked at the last close'
);

-- signals: buy at bar 1 (fills at bar 2's open 9: floor(1000 / 9.09) = 110, commission 9.9); sell and then close
-- within bar 3 (the latest of a bar counts: close, at bar 4's open 9: P&L -19.8).
do $$ begin perform api.record_signal((select sig from s), 'HAND', 'buy', '2024-01-02 15:00+00'); end $$;
do $$ begin perform api.record_signal((select sig from s), 'HAND', 'sell', '2024-01-04 01:00+00'); end $$;
do $$ begin perform api.record_signal((select sig from s), 'HAND', 'close', '2024-01-04 20:00+00'); end $$;
select results_eq(
    $$ select bar_no, target from strategy.signal_entries((select sig from s), (select id from hand), '1d', '2024-01-01',
       '2024-01-08') $$,
    $$ values (1, 1), (3, 0) $$,
    'signal_entries: each signal belongs to the last bar starting before it; the latest of a bar counts'
);
create temporary table r4 as
select api.run_backtest((select sig from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0.01) as id;
select results_eq(
    $$ select size, entry_bar, exit_bar, pnl::numeric from api.backtest_trades where backtest_id = (select id from r4) $$,
    $$ values (110::numeric, 2, 4, -19.8::numeric) $$,
    'signals: the recorded signals trade with the same fills'
);
select is((select final_equity::numeric from api.backtests where id = (select id from r4)), 980.2, 'signals: final equity');

-- Ruin: SMA(2, 3) long_short on RUIN, no commission. The cross down at bar 4 shorts floor(1000 / 9) = 111 at bar 5's
-- open 9; at bar 5's close 30 the equity is 1000 - 111 × 21 < 0: the short closes there, the equity is 0 from then on.
create temporary table r5 as
select api.run_backtest((select long_short from s), 'RUIN', '2024-01-01', '2024-01-07', 1000, 0) as id;
select results_eq(
    $$ select size, entry_bar, exit_bar, exit_price::numeric, pnl::numeric from api.backtest_trades
       where backtest_id = (select id from r5) $$,
    $$ values (-111::numeric, 5, 5, 30::numeric, (-111 * 21)::numeric) $$,
    'ruin: the trade open when the equity reaches zero closes at that close'
);
select results_eq(
    $$ select final_equity::numeric, max_drawdown_pct, closed_trades from api.backtests where id = (select id from r5) $$,
    $$ values (0::numeric, -100::double precision, 1) $$,
    'ruin: the equity is 0 from then on, a drawdown of 100 percent'
);
select is(
    (select array_agg(equity::numeric order by bar_no) from api.backtest_equity where backtest_id = (select id from r5)),
    '{1000, 1000, 1000, 1000, 1000, 0, 0}'::numeric [], 'ruin: the curve'
);

-- A public strategy passes the checks of one's own (and then needs 20 bars, which HAND has not).
select throws_ok(
    $$ select api.run_backtest((select id from strategy.strategies where user_id is null and name = 'SMA Crossover 10/20'),
       'HAND', '2024-01-01', '2024-01-31') $$,
    '22023', format('the range has 8 1d bars of security %s; a sma_crossover strategy with these parameters needs at '
        || 'least 20', (select id from hand)),
    'a public strategy is backtested like one''s own; a range shorter than its slow window is refused'
);

-- 3. Every documented error, and nothing is stored after it.
create temporary table before as select (select count(*) from strategy.backtests) as n;
select throws_ok($$ select api.run_backtest(null, 'HAND', '2024-01-01', '2024-01-08') $$, '22023', null,
    'a null strategy');
select throws_ok($$ select api.run_backtest('00000000-0000-0000-0000-000000000000', 'HAND', '2024-01-01', '2024-01-08') $$,
    'P0002', null, 'an unknown strategy');
select throws_ok($$ select api.run_backtest((select ml from s), 'HAND', '2024-01-01', '2024-01-08') $$, '22023',
    format('strategy %s is of type ml, which is descriptive and cannot be backtested', (select ml from s)),
    'a descriptive strategy');
select throws_ok($$ select api.run_backtest((select long_only from s), 'NOPE', '2024-01-01', '2024-01-08') $$, 'P0002',
    'security ''NOPE'' does not exist', 'an unknown symbol');
select throws_ok($$ select api.run_backtest((select long_only from s), null, '2024-01-01', '2024-01-08') $$, '22023',
    null, 'a null symbol');
select throws_ok($$ select api.run_backtest((select long_only from s), 'BARE', '2024-01-01', '2024-01-08') $$, 'P0002',
    null, 'a security without bars');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2025-01-01', '2025-12-31') $$, 'P0002',
    null, 'no bars in the range');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-08', '2024-01-01') $$, '22023',
    'the range starts (2024-01-08) after it ends (2024-01-01)', 'start after end');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '-infinity', '2024-01-01') $$, '22023',
    null, 'an infinite date');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', null, '2024-01-01') $$, '22023', null,
    'a null date');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-02') $$, '22023',
    null, 'a range shorter than the slow window (2 bars, slow 3)');
select throws_ok($$ select api.run_backtest((select rsi from s), 'HAND', '2024-01-01', '2024-01-02') $$, '22023', null,
    'a range shorter than the RSI needs (2 bars, period 2)');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 0) $$, '22023',
    null, 'a capital of 0');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', -5) $$,
    '22023', null, 'a negative capital');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1e16) $$,
    '22023', null, 'a capital above 10^15');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0.1) $$,
    '22023', null, 'a commission of 10 percent');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, -0.001) $$,
    '22023', null, 'a negative commission (a rebate)');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 'NaN') $$,
    '22023', null, 'a NaN commission');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0, '2d') $$,
    '22023', null, 'an unknown timeframe');
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08', 1000, 0, '1h') $$,
    'P0002', null, 'no bars of that timeframe');
do $$ begin perform api.update_strategy((select long_only from s), p_is_active => false); end $$;
select throws_ok($$ select api.run_backtest((select long_only from s), 'HAND', '2024-01-01', '2024-01-08') $$, '22023',
    null, 'an inactive strategy');
do $$ begin perform api.act_as((select b from t)); end $$;
select throws_ok($$ select api.run_backtest((select long_short from s), 'HAND', '2024-01-01', '2024-01-08') $$, '42501',
    null, 'another user''s strategy');
do $$ begin perform app.set_context(null, null, null); end $$;
select throws_ok($$ select api.run_backtest((select long_short from s), 'HAND', '2024-01-01', '2024-01-08') $$, 'TB008',
    null, 'anonymous');
do $$ begin perform api.act_as((select a from t)); end $$;
do $$ begin perform api.record_signal((select sig from s), 'TINY', 'buy', '2024-01-01'); end $$;
select throws_ok($$ select api.run_backtest((select sig from s), 'TINY', '2024-01-01', '2024-01-03', 1e15) $$, '22023',
    null, 'sizes beyond the columns (10^15 of capital on a price of 10^-8) are a 22023, not a 22003');
select is((select count(*) from strategy.backtests), (select n from before), 'no failed call stored a backtest');

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');

select * from finish();
rollback;
