-- Parameter sweeps (issue 16 §3, docs/strategies.md "Sweeps"): api.sweep_backtest expands the grid (arrays and
-- ranges), skips impossible combinations and says why, stores the sweep and its ranked combinations, and each
-- combination's figures equal those of an api.run_backtest of it (every figure, on a 300-bar series with gaps,
-- for sma_crossover in both modes and rsi_reversion, with commission; and a ruined long_short, which the sweep
-- hands to run_backtest). Then every documented error, with nothing stored after it. RLS as the app login:
-- tests/python/test_sweeps.py.
begin;
select plan(56);

insert into auth.users (email, username) values ('sw-a@example.com', 'sw_a'), ('sw-b@example.com', 'sw_b');
create temporary table t as
select
    (select id from auth.users where username = 'sw_a') as a,
    (select id from auth.users where username = 'sw_b') as b;
do $$ begin perform api.upsert_security('SWP', 'Sweep series', 'stock'); end $$;
do $$ begin perform api.upsert_security('SWRUIN', 'Sweep ruin', 'stock'); end $$;
do $$ begin perform api.upsert_security('SWBARE', 'No bars', 'stock'); end $$;
do $$ begin perform api.upsert_security('SWTIE', 'Sweep near ties', 'stock'); end $$;
do $$ begin perform api.upsert_security('SWBIG', 'Sweep beyond bigint', 'stock'); end $$;
do $$ begin perform api.upsert_security('SWHOUR', 'Sweep hourly', 'stock'); end $$;
-- SWP: 300 daily bars, a wave on a slow trend with deterministic noise, each opening with a gap from the
-- previous close.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2020-01-01' + v.i, v.o, greatest(v.o, v.c), least(v.o, v.c), v.c
from market.securities as s,
    lateral (
        select
            g.i,
            round((100 + 10 * sin(g.i / 7.0) + g.i * 0.05 + ((g.i * 7919) % 13 - 6) * 0.3
                + ((g.i * 31) % 5 - 2) * 0.5)::numeric, 2) as o,
            round((100 + 10 * sin(g.i / 7.0) + g.i * 0.05 + ((g.i * 7919) % 13 - 6) * 0.3)::numeric, 2) as c
        from generate_series(0, 299) as g (i)
    ) as v
where s.symbol = 'SWP';
-- SWRUIN: up, then down (a cross down of SMA(2) under SMA(3) at bar 4), then the price triples at bar 5's close.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2024-01-01' + v.i, v.o, greatest(v.o, v.c), least(v.o, v.c), v.c
from market.securities as s,
    (values (0, 10, 10), (1, 10, 11), (2, 11, 12), (3, 12, 11), (4, 11, 9), (5, 9, 30), (6, 30, 40)) as v (i, o, c)
where s.symbol = 'SWRUIN';
-- SWTIE: closes of 10^8 moved by a few 10^-8 (a wave of period 8): the moving averages cross on differences of
-- 10^-8, which double precision (about 16 digits) cannot see: the sweep's signs are exact integer arithmetic.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', date '2020-01-01' + g.i, v.p, v.p, v.p, v.p
from market.securities as s,
    generate_series(0, 79) as g (i),
    lateral (select 100000000 + (array[0, 1, 2, 3, 4, 3, 2, 1])[g.i % 8 + 1] * 0.00000001 as p) as v
where s.symbol = 'SWTIE';
-- SWBIG: SWP's first 120 bars at 10^10 times the price: the closes' running totals in 10^-8 units pass 2^63, so
-- the sweep's crossings come from sma_crossings' exact numeric path.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', d.ts, d.open * 10000000000, d.high * 10000000000, d.low * 10000000000, d.close * 10000000000
from market.securities as s, market.market_data as d
where s.symbol = 'SWBIG' and d.security_id = (select id from market.securities where symbol = 'SWP')
    and d.ts < '2020-04-30';
-- SWHOUR: 8 hourly bars a day over 25 days (a wave with noise): the daily returns are those of each day's last
-- bar, and the curve's drawdown is over every bar.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1h', timestamptz '2021-03-01 09:00+00' + (g.i / 8) * interval '1 day' + (g.i % 8) * interval '1 hour',
    v.o, greatest(v.o, v.c), least(v.o, v.c), v.c
from market.securities as s,
    generate_series(0, 199) as g (i),
    lateral (
        select
            round((50 + 5 * sin(g.i / 5.0) + ((g.i * 7919) % 11 - 5) * 0.2 + ((g.i * 31) % 5 - 2) * 0.3)::numeric, 2) as o,
            round((50 + 5 * sin(g.i / 5.0) + ((g.i * 7919) % 11 - 5) * 0.2)::numeric, 2) as c
    ) as v
where s.symbol = 'SWHOUR';

do $$ begin perform api.act_as((select a from t)); end $$;
create temporary table s as
select
    api.create_strategy('sweep long', 'sma_crossover', '{"fast": 2, "slow": 3}') as long_only,
    api.create_strategy('sweep long short', 'sma_crossover', '{"fast": 2, "slow": 3, "mode": "long_short"}') as long_short,
    api.create_strategy('sweep rsi', 'rsi_reversion', '{"period": 5, "oversold": 30, "overbought": 70}') as rsi,
    api.create_strategy('sweep signals', 'signals', '{}') as sig,
    api.create_strategy('sweep ml', 'ml', '{}') as ml;

-- A combination's figures, as api.backtests and api.sweep_results both have them.
create temporary view figures_of_backtests as
select
    b.id, b.parameters, b.final_equity, b.return_pct, b.buy_hold_return_pct, b.max_drawdown_pct, b.closed_trades,
    b.winning_trades, b.losing_trades, b.win_rate_pct, b.profit_factor, b.avg_trade_pct, b.best_trade_pct,
    b.worst_trade_pct, b.commissions, b.exposure_pct, b.sharpe_ratio, b.sortino_ratio, b.calmar_ratio
from api.backtests as b;
create temporary view figures_of_sweeps as
select
    r.sweep_id, r.parameters, r.final_equity, r.return_pct, r.buy_hold_return_pct, r.max_drawdown_pct, r.closed_trades,
    r.winning_trades, r.losing_trades, r.win_rate_pct, r.profit_factor, r.avg_trade_pct, r.best_trade_pct,
    r.worst_trade_pct, r.commissions, r.exposure_pct, r.sharpe_ratio, r.sortino_ratio, r.calmar_ratio
from api.sweep_results as r;
-- Each combination equals a run_backtest of it: a strategy with its parameters, backtested over the same bars.
create or replace function pg_temp.backtest_each(p_sweep_id uuid, p_type text, p_capital numeric, p_commission numeric)
returns table (parameters jsonb, backtest_id uuid)
language sql
as $$
    select
        r.parameters,
        api.run_backtest(
            api.create_strategy('combination ' || p_sweep_id || ' ' || r.combination_no, p_type, r.parameters),
            w.symbol, w.start_date, w.end_date, p_capital, p_commission, w.timeframe
        )
    from api.sweep_results as r
    inner join api.sweeps as w on r.sweep_id = w.id
    where r.sweep_id = p_sweep_id
$$;
-- The combinations of a sweep whose figures differ from those of their run_backtest (none when each equals it,
-- figure for figure); the backtests are kept in `backtested`.
create temporary table backtested (sweep_id uuid, backtest_id uuid);
create function pg_temp.figures_unmatched(p_sweep_id uuid, p_type text, p_capital numeric, p_commission numeric)
returns table (parameters jsonb)
language sql
as $$
    insert into backtested (sweep_id, backtest_id)
    select p_sweep_id, b.backtest_id from pg_temp.backtest_each(p_sweep_id, p_type, p_capital, p_commission) as b;
    select parameters from (
        select parameters, final_equity, return_pct, buy_hold_return_pct, max_drawdown_pct, closed_trades,
            winning_trades, losing_trades, win_rate_pct, profit_factor, avg_trade_pct, best_trade_pct, worst_trade_pct,
            commissions, exposure_pct, sharpe_ratio, sortino_ratio, calmar_ratio
        from figures_of_sweeps where sweep_id = p_sweep_id
        except
        select parameters, final_equity, return_pct, buy_hold_return_pct, max_drawdown_pct, closed_trades,
            winning_trades, losing_trades, win_rate_pct, profit_factor, avg_trade_pct, best_trade_pct, worst_trade_pct,
            commissions, exposure_pct, sharpe_ratio, sortino_ratio, calmar_ratio
        from figures_of_backtests where id in (select b.backtest_id from backtested as b where b.sweep_id = p_sweep_id)
    ) as unmatched
$$;

-- 1. A long_only grid: fast [2, 3, 5] x slow 3..9 step 3: (3, 3) and (5, 3) are impossible, 7 combinations run.
create temporary table w1 as
select * from api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2, 3, 5], "slow": {"from": 3, "to": 9, "step": 3}}', 10000, 0.002);
select is((select count(*)::integer from w1), 7, 'sweep: the possible combinations of the grid are returned');
select is((select count(distinct sweep_id)::integer from w1), 1, 'sweep: one sweep');
select results_eq(
    $$ select combinations, jsonb_array_length(skipped), rank_by, bars, symbol from api.sweeps
       where id = (select sweep_id from w1 limit 1) $$,
    $$ values (7, 2, 'sharpe_ratio', 300, 'SWP') $$,
    'sweep: stored with its combinations, skipped ones and bars'
);
select is(
    (select skipped from api.sweeps where id = (select sweep_id from w1 limit 1)),
    '[{"reason": "parameter fast (3) must be below slow (3)", "parameters": {"fast": 3, "slow": 3}},
      {"reason": "parameter fast (5) must be below slow (3)", "parameters": {"fast": 5, "slow": 3}}]'::jsonb,
    'sweep: impossible combinations are skipped, each with the parameter check''s reason'
);
select results_eq(
    $$ select parameters from api.sweep_results where sweep_id = (select sweep_id from w1 limit 1)
       order by combination_no $$,
    $$ values ('{"fast": 2, "slow": 3, "mode": "long_only"}'::jsonb), ('{"fast": 2, "slow": 6, "mode": "long_only"}'),
       ('{"fast": 2, "slow": 9, "mode": "long_only"}'), ('{"fast": 3, "slow": 6, "mode": "long_only"}'),
       ('{"fast": 3, "slow": 9, "mode": "long_only"}'), ('{"fast": 5, "slow": 6, "mode": "long_only"}'),
       ('{"fast": 5, "slow": 9, "mode": "long_only"}') $$,
    'sweep: the combinations in grid order, complete with the strategy''s other parameters'
);
select results_eq(
    $$ select rank, parameters, final_equity, return_pct, max_drawdown_pct, closed_trades, win_rate_pct, profit_factor,
       sharpe_ratio, sortino_ratio, calmar_ratio from w1 $$,
    $$ select rank, parameters, final_equity, return_pct, max_drawdown_pct, closed_trades, win_rate_pct, profit_factor,
       sharpe_ratio, sortino_ratio, calmar_ratio from api.sweep_results
       where sweep_id = (select sweep_id from w1 limit 1) order by rank $$,
    'sweep: it returns the stored combinations, best first'
);
select is(
    (select array_agg(rank order by sharpe_ratio desc nulls last, combination_no) from api.sweep_results
     where sweep_id = (select sweep_id from w1 limit 1)),
    '{1, 2, 3, 4, 5, 6, 7}'::integer [],
    'sweep: ranked by the Sharpe ratio by default, highest first'
);
select ok((select min(closed_trades) from w1) > 0, 'sweep: every combination trades on this series');

select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w1 limit 1), 'sma_crossover',
       10000, 0.002) $$,
    'long_only: every figure of every combination equals its run_backtest''s'
);
select is((select count(*)::integer from backtested), 7, 'each combination of the long_only sweep backtested');

-- 2. long_short, ranked by return; values as an array and a range with the default step.
create temporary table w2 as
select * from api.sweep_backtest((select long_short from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": {"from": 2, "to": 4}, "slow": [10, 20]}', 5000, 0.001, '1d', 'return_pct');
select is((select count(*)::integer from w2), 6, 'long_short sweep: 3 x 2 combinations');
select is(
    (select array_agg(rank order by return_pct desc, combination_no) from api.sweep_results
     where sweep_id = (select sweep_id from w2 limit 1)),
    '{1, 2, 3, 4, 5, 6}'::integer [], 'long_short sweep: ranked by return_pct'
);
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w2 limit 1), 'sma_crossover',
       5000, 0.001) $$,
    'long_short: every figure of every combination equals its run_backtest''s'
);

-- 2b. Near ties: exact signs where double precision rounds the difference away.
create temporary table w_tie as
select * from api.sweep_backtest((select long_only from s), 'SWTIE', '2020-01-01', '2020-03-20',
    '{"fast": [2, 3], "slow": [5, 7]}', 10000000000, 0);
select is((select count(*)::integer from w_tie), 4, 'near-tie sweep: 2 x 2 combinations');
select ok((select min(closed_trades) from w_tie) > 0, 'near-tie sweep: every combination trades on crossings of 10^-8');
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w_tie limit 1), 'sma_crossover',
       10000000000, 0) $$,
    'near ties: every figure of every combination equals its run_backtest''s'
);

-- 3. rsi_reversion, ranked by max drawdown: oversold 20..40 step 10 x overbought [60, 80], period [3, 5, 400]
-- (period 400 needs 401 bars: skipped, said so).
create temporary table w3 as
select * from api.sweep_backtest((select rsi from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"period": [3, 5, 400], "oversold": {"from": 20, "to": 40, "step": 10}, "overbought": [60, 80]}', 10000, 0.002,
    '1d', 'max_drawdown_pct');
select is((select count(*)::integer from w3), 12, 'rsi sweep: 2 x 3 x 2 combinations run');
select is(
    (select jsonb_path_query_array(skipped, '$[*].reason') from api.sweeps where id = (select sweep_id from w3 limit 1)),
    (select jsonb_agg('the range has 300 1d bars; these parameters need at least 401'::text) from generate_series(1, 6)),
    'rsi sweep: a window longer than the range is skipped, with the bars it needs'
);
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w3 limit 1), 'rsi_reversion',
       10000, 0.002) $$,
    'rsi_reversion: every figure of every combination equals its run_backtest''s'
);
select is(
    (select array_agg(rank order by max_drawdown_pct desc, combination_no) from api.sweep_results
     where sweep_id = (select sweep_id from w3 limit 1)),
    (select array_agg(i) from generate_series(1, 12) as i), 'rsi sweep: ranked by max drawdown, shallowest first'
);

-- 4. Ruin: a long_short combination whose equity reaches zero is computed as run_backtest computes it.
create temporary table w4 as
select * from api.sweep_backtest((select long_short from s), 'SWRUIN', '2024-01-01', '2024-01-07',
    '{"fast": [2], "slow": [3, 4]}', 1000, 0);
select results_eq(
    $$ select parameters, final_equity, max_drawdown_pct from w4 where parameters ->> 'slow' = '3' $$,
    $$ values ('{"fast": 2, "slow": 3, "mode": "long_short"}'::jsonb, 0::numeric, -100::double precision) $$,
    'ruin: the ruined combination ends at 0, a drawdown of 100 percent'
);
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w4 limit 1), 'sma_crossover',
       1000, 0) $$,
    'ruin: every figure equals its run_backtest''s'
);
select is(
    (select count(*)::integer from strategy.backtests where id not in (select backtest_id from backtested)),
    0, 'ruin: the backtest the sweep ran for the ruined combination is not left behind'
);

-- 4b. Prices whose running totals leave bigint: the crossings from sma_crossings, the figures the same.
create temporary table w_big as
select * from api.sweep_backtest((select long_short from s), 'SWBIG', '2020-01-01', '2020-12-31',
    '{"fast": [2, 3], "slow": [5, 9]}', 1000000000000000, 0.002);
select ok((select min(closed_trades) from w_big) > 0, 'prices beyond bigint: every combination trades');
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w_big limit 1), 'sma_crossover',
       1000000000000000, 0.002) $$,
    'prices beyond bigint: every figure of every combination equals its run_backtest''s'
);

-- 4c. Hourly bars: daily returns from the days' last bars, the drawdown over every bar; both modes.
create temporary table w_hour as
select * from api.sweep_backtest((select long_short from s), 'SWHOUR', '2021-03-01', '2021-03-31',
    '{"fast": [2, 3], "slow": [5, 8], "mode": ["long_only", "long_short"]}', 10000, 0.001, '1h');
select ok((select min(closed_trades) from w_hour) > 0, 'hourly sweep: every combination trades');
select is_empty(
    $$ select * from pg_temp.figures_unmatched((select sweep_id from w_hour limit 1), 'sma_crossover',
       10000, 0.001) $$,
    'hourly sweep: every figure of every combination equals its run_backtest''s'
);

-- 4d. The sweep's two passes on their own. sweep_crossings: sma_crossings' crossings for every pair at once;
-- a 22023 for arrays of different lengths; nothing without totals.
create temporary table swp_totals as
select array[0::bigint] || array_agg((b.close_total * 100000000)::bigint order by b.bar_no) as totals
from strategy.range_bars((select id from market.securities where symbol = 'SWP'), '1d', '2020-01-01', '2020-12-31') as b;
select set_eq(
    $$ select x.combination, x.bar_no, x.direction
       from strategy.sweep_crossings((select totals from swp_totals), '{2, 3, 4, 7}', '{6, 20, 5, 30}') as x $$,
    $$ select p.j::integer, c.bar_no, c.direction
       from unnest('{2, 3, 4, 7}'::integer [], '{6, 20, 5, 30}'::integer []) with ordinality as p (f, s, j)
       cross join lateral strategy.sma_crossings((select id from market.securities where symbol = 'SWP'), '1d',
           '2020-01-01', '2020-12-31', p.f, p.s) as c $$,
    'sweep_crossings: every pair''s crossings are sma_crossings'''
);
select throws_ok(
    $$ select * from strategy.sweep_crossings((select totals from swp_totals), '{2, 3}', '{6}') $$,
    '22023', 'p_fast and p_slow must hold one window length per combination',
    'sweep_crossings: one window length of each kind per combination'
);
select is_empty(
    $$ select * from strategy.sweep_crossings(null, '{2}', '{6}') $$, 'sweep_crossings: no totals, no crossings'
);
-- sweep_curves by hand: closes 10, 11, 12, 11, every bar a day end; combination 1 holds its 100 in cash,
-- combination 2 buys 10 units with all of it at bar 1 (equity 100, 110, 120, 110: returns 0.1, 1/11, -1/12).
create temporary table curves as
select * from strategy.sweep_curves('{0, 4, 5}', '{100, 100, 0}', '{0, 0, 10}', '{10, 11, 12, 11}', '{0, 1, 2, 3}',
    2, true);
select results_eq(
    $$ select combination, lowest_ratio, lowest_equity, mean, best, worst, log_wealth, log_drawdown from curves
       where combination = 1 $$,
    $$ values (1, 1::double precision, 100::double precision, 0::double precision, 0::double precision,
       0::double precision, 0::double precision, 0::double precision) $$,
    'sweep_curves: all in cash, no drawdown, no return'
);
select ok(
    (select lowest_ratio = 110::double precision / 120 and lowest_equity = 100 and best = 110::double precision / 100 - 1
        and worst = 110::double precision / 120 - 1 and mean = (best + (120::double precision / 110 - 1) + worst) / 3
        and abs(log_wealth - ln(1.1)) < 1e-15 and log_drawdown = ln(1 + (110::double precision / 120 - 1))
     from curves where combination = 2),
    'sweep_curves: the invested curve''s lowest ratio, lowest equity, returns, log wealth and log drawdown'
);

-- A public strategy can be swept (its stored parameters complete the grid's).
select is(
    (select count(*)::integer from api.sweep_backtest(
        (select id from strategy.strategies where user_id is null and name = 'SMA Crossover 10/20'), 'SWP',
        '2020-01-01', '2020-12-31', '{"slow": [20, 30]}')),
    2, 'a public strategy is swept like one''s own'
);

-- 5. Every documented error, and nothing is stored after it.
create temporary table before as
select (select count(*) from strategy.sweeps) as sweeps, (select count(*) from strategy.sweep_results) as results;
select throws_ok($$ select api.sweep_backtest(null, 'SWP', '2020-01-01', '2020-12-31', '{"fast": [2]}') $$, '22023',
    null, 'a null strategy');
select throws_ok($$ select api.sweep_backtest('00000000-0000-0000-0000-000000000000', 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, 'P0002', null, 'an unknown strategy');
select throws_ok($$ select api.sweep_backtest((select ml from s), 'SWP', '2020-01-01', '2020-12-31', '{"fast": [2]}') $$,
    '22023', format('strategy %s is of type ml, which has no parameters to sweep', (select ml from s)),
    'a descriptive strategy');
select throws_ok($$ select api.sweep_backtest((select sig from s), 'SWP', '2020-01-01', '2020-12-31', '{"fast": [2]}') $$,
    '22023', format('strategy %s is of type signals, which has no parameters to sweep', (select sig from s)),
    'a signals strategy');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'NOPE', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, 'P0002', 'security ''NOPE'' does not exist', 'an unknown symbol');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWBARE', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, 'P0002', null, 'no bars in the range');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-12-31', '2020-01-01',
    '{"fast": [2]}') $$, '22023', 'the range starts (2020-12-31) after it ends (2020-01-01)', 'start after end');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}', 0) $$, '22023', null, 'a capital of 0');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}', 1000, 0.1) $$, '22023', null, 'a commission of 10 percent');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}', 1000, 0, '2d') $$, '22023', null, 'an unknown timeframe');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '[2, 3]') $$, '22023', 'the grid must be a non-empty JSON object', 'a grid that is not an object');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"period": [2]}') $$, '22023', 'grid parameter ''period'' is unknown for a sma_crossover strategy',
    'a grid parameter the strategy has not');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": []}') $$, '22023', null, 'an empty list of values');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": {"from": 5, "to": 2}}') $$, '22023', null, 'a range from above its end');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": {"from": 2, "to": 5, "step": 0}}') $$, '22023', null, 'a range with a step of 0');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": {"from": 1, "to": 100}, "slow": {"from": 101, "to": 120}}') $$, '22023',
    'the grid has more than 1000 combinations', 'more than 1,000 combinations');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [5], "slow": [3, 4]}') $$, '22023',
    'none of the 2 combinations of the grid can run: parameter fast (5) must be below slow (3)',
    'a grid none of whose combinations can run');
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}', 1000, 0, '1d', 'luck') $$, '22023', 'cannot rank by ''luck''', 'an unknown figure to rank by');
do $$ begin perform api.update_strategy((select long_only from s), p_is_active => false); end $$;
select throws_ok($$ select api.sweep_backtest((select long_only from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, '22023', null, 'an inactive strategy');
do $$ begin perform api.act_as((select b from t)); end $$;
select throws_ok($$ select api.sweep_backtest((select long_short from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, '42501', null, 'another user''s strategy');
do $$ begin perform app.set_context(null, null, null); end $$;
select throws_ok($$ select api.sweep_backtest((select long_short from s), 'SWP', '2020-01-01', '2020-12-31',
    '{"fast": [2]}') $$, 'TB008', null, 'anonymous');
do $$ begin perform api.act_as((select a from t)); end $$;
select results_eq(
    'select (select count(*) from strategy.sweeps), (select count(*) from strategy.sweep_results)',
    'select sweeps, results from before', 'no failed call stored a sweep'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');

select * from finish();
rollback;
