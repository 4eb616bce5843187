-- Account performance and risk metrics (issue 15 §3, docs/analytics.md "Account performance"):
-- analytics.account_performance and its view, api.account_performance, benchmarks (the platform default,
-- api.set_account_benchmark, analytics.benchmark_daily_returns), risk.metrics written by the risk_metrics
-- job (a rerun replaces; one account set aside never blocks the others), and every documented error.
-- The ten-day account of test_account_returns.sql, with a losing trade and one closing two lots; history
-- is made through the api now and moved back in time (posted_at, filled_at) in the order it happened.
begin;
select plan(68);

-- Day k of the ten-day history is current_date - 12 + k (days 1 .. 10 end two days before today).
create function pg_temp.day(p_k integer) returns date language sql as $f$ select current_date - 12 + p_k $f$;
create function pg_temp.at(p_k integer, p_time text) returns timestamptz language sql as $f$
    select (pg_temp.day(p_k)::text || ' ' || p_time || '+00')::timestamptz
$f$;
create temporary table acct (name text primary key, id uuid);
create function pg_temp.acct(p_name text) returns uuid language sql as $f$ select id from acct where name = p_name $f$;
create function pg_temp.move_journal(p_journal bigint, p_at timestamptz) returns void language sql as $f$
    update trading.transactions set posted_at = p_at where journal_id = p_journal
$f$;
-- A market order at p_price (the quote), filled and settled at p_at.
create function pg_temp.trade(p_name text, p_symbol text, p_side text, p_quantity numeric, p_price numeric,
    p_at timestamptz) returns text language plpgsql as $f$
declare
    v_order api.orders;
begin
    perform api.record_price(p_symbol, p_price, clock_timestamp());
    v_order := api.execute_paper_trade(pg_temp.acct(p_name), p_symbol, p_side, p_quantity);
    update trading.fills set filled_at = p_at where order_id = v_order.id;
    perform pg_temp.move_journal((select journal_id from trading.fills where order_id = v_order.id), p_at);
    return v_order.status::text;
end
$f$;
-- The hand-computed daily returns of 'main' below (day k at k), and the benchmark's.
create function pg_temp.r(p_k integer) returns double precision language sql as $f$
    select (array[10000 / 10000.0 - 1, 10500 / 10000.0 - 1, 9950 / 10500.0 - 1, 15150 / 14950.0 - 1,
                  15190 / 15150.0 - 1, 14950 / 15190.0 - 1, 15430 / 14950.0 - 1, 11530 / 11430.0 - 1,
                  11380 / 11530.0 - 1, 11530 / 11380.0 - 1])[p_k]::double precision
$f$;
create function pg_temp.b(p_k integer) returns double precision language sql as $f$
    select (array[202 / 200.0 - 1, 204 / 202.0 - 1, 200 / 204.0 - 1, 206 / 200.0 - 1, 0,
                  210 / 206.0 - 1, 208 / 210.0 - 1, 212 / 208.0 - 1, 214 / 212.0 - 1, 216 / 214.0 - 1])[p_k]::double precision
$f$;
create function pg_temp.rs(p_from integer, p_to integer) returns double precision [] language sql as $f$
    select array_agg(pg_temp.r(k) order by k) from generate_series(p_from, p_to) as k
$f$;
create function pg_temp.bs(p_from integer, p_to integer) returns double precision [] language sql as $f$
    select array_agg(pg_temp.b(k) order by k) from generate_series(p_from, p_to) as k
$f$;

insert into auth.users (email, username) values ('perf@example.com', 'perf'), ('other@example.com', 'perf_other');
do $$ begin perform api.act_as((select id from auth.users where username = 'perf')); end $$;
insert into acct values
('main', api.create_account('Performance', 'paper', null, 10000)),
('div', api.create_account('Diversified', 'paper', null, 10000)),
('bad', api.create_account('Bad data', 'paper', null, 1000));
-- Opened on day 1 (the life window starts on the day an account was opened).
update trading.accounts set created_at = pg_temp.at(1, '08:00') where id in (select id from acct);

-- RET's daily closes on days 1 .. 10; BENCH's security BMK on days 0 .. 10 but day 5 (a day without a bar).
do $$ begin
    perform api.upsert_security('RET', 'Returns Inc', 'stock');
    perform api.upsert_security('BMK', 'Benchmark Index Fund', 'etf');
end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', pg_temp.day(c.k)::timestamp at time zone 'UTC', c.close, c.close, c.close, c.close
from market.securities as s
cross join (values (1, 100), (2, 110), (3, 99), (4, 104), (5, 105), (6, 102), (7, 108), (8, 110), (9, 107), (10, 112))
    as c (k, close)
where s.symbol = 'RET';
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', pg_temp.day(c.k)::timestamp at time zone 'UTC', c.close, c.close, c.close, c.close
from market.securities as s
cross join (values (0, 200), (1, 202), (2, 204), (3, 200), (4, 206), (6, 210), (7, 208), (8, 212), (9, 214), (10, 216))
    as c (k, close)
where s.symbol = 'BMK';
-- The platform default BENCH (BMK), RETB (RET) to choose, one inactive and one without a security.
insert into market.benchmarks (symbol, name, security_id, is_default, is_active)
select 'BENCH', 'The benchmark index', s.id, true, true from market.securities as s where s.symbol = 'BMK'
union all
select 'RETB', 'RET as a benchmark', s.id, false, true from market.securities as s where s.symbol = 'RET'
union all
select 'OLDB', 'An old benchmark', s.id, false, false from market.securities as s where s.symbol = 'BMK'
union all
select 'NOSEC', 'A benchmark without prices', null, false, true;

-- 1. The hand-computed account over ten days (no commission, no slippage, FIFO lots):
--   day 1  opens with 10,000 (flow +10,000), buys 50 at 100 (lot A): 5,000 + 50 x 100        V1 = 10,000
--   day 2  close 110: 5,000 + 5,500                                                           V2 = 10,500
--   day 3  sells 10 at 99 (from lot A, cost 100: P&L -10, a loss): 5,990 + 40 x 99            V3 =  9,950
--   day 4  deposits 5,000 (flow +5,000), close 104: 10,990 + 40 x 104                         V4 = 15,150
--   day 5  buys 40 at 105 (lot B): 6,790 + 80 x 105                                           V5 = 15,190
--   day 6  close 102: 6,790 + 80 x 102                                                        V6 = 14,950
--   day 7  sells 30 at 108 (lot A: +8 x 30 = +240, a win): 10,030 + 50 x 108                  V7 = 15,430
--   day 8  withdraws 4,000 (flow -4,000), close 110: 6,030 + 50 x 110                         V8 = 11,530
--   day 9  sells 20 at 107, one fill closing two lots (10 of A: +70, 10 of B: +20; the trade
--          +90, a win): 8,170 + 30 x 107                                                      V9 = 11,380
--   day 10 close 112: 8,170 + 30 x 112                                                        V10 = 11,530
-- Daily returns r_t = V_t / (V_{t-1} + F_t) - 1: 0, 10,500/10,000, 9,950/10,500, 15,150/(9,950 + 5,000),
-- 15,190/15,150, 14,950/15,190, 15,430/14,950, 11,530/(15,430 - 4,000), 11,380/11,530, 11,530/11,380 (-1 each).
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'initial_balance'), pg_temp.at(1, '09:00'));
    perform pg_temp.trade('main', 'RET', 'buy', 50, 100, pg_temp.at(1, '12:00'));
    perform pg_temp.trade('main', 'RET', 'sell', 10, 99, pg_temp.at(3, '12:00'));
    perform pg_temp.move_journal(api.deposit(pg_temp.acct('main'), 5000), pg_temp.at(4, '10:00'));
    perform pg_temp.trade('main', 'RET', 'buy', 40, 105, pg_temp.at(5, '12:00'));
    perform pg_temp.trade('main', 'RET', 'sell', 30, 108, pg_temp.at(7, '12:00'));
    perform pg_temp.move_journal(api.withdraw(pg_temp.acct('main'), 4000), pg_temp.at(8, '10:00'));
    perform pg_temp.trade('main', 'RET', 'sell', 20, 107, pg_temp.at(9, '12:00'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(1, 10) as k;
end $$;
select results_eq(
    $$ select equity::numeric, net_flow::numeric from trading.account_snapshots
       where account_id = pg_temp.acct('main') order by snapshot_date $$,
    $$ values (10000::numeric, 10000::numeric), (10500, 0), (9950, 0), (15150, 5000), (15190, 0), (14950, 0),
              (15430, 0), (11530, -4000), (11380, 0), (11530, 0) $$,
    'the ten days'' equity and flows by hand'
);

-- Time-weighted return over life: the product telescopes to
--   9,950/10,000 x 15,430/14,950 x 11,530/11,430 - 1 = 0.995 x 1.032107... x 1.008748... - 1 = 0.035931...
-- Wealth W_t = Π(1 + r): 1, 1.05, 0.995, 1.00831, 1.01097, 0.995, 1.02695, 1.03593, 1.02245, 1.03593: the peak
-- 1.05 on day 2 is never passed, the deepest fall 0.995 / 1.05 - 1 = -0.052381 (days 3 and 6), and day 10
-- stands at W10 / 1.05 - 1 = -0.013399 (the current drawdown).
-- Trades: three fills closed lots: -10 (day 3), +240 (day 7), +90 (day 9, two closures): win rate 2/3,
-- average win (240 + 90) / 2 = 165, average loss -10, profit factor 330 / 10 = 33.
select results_eq(
    $$ select as_of, period, first_day, last_day, equity, round(return_life::numeric, 12),
              round(max_drawdown::numeric, 12), round(current_drawdown::numeric, 12), observations
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (pg_temp.day(10), 'life', pg_temp.day(1), pg_temp.day(10), 11530::numeric,
               round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 - 1, 12), round(0.995 / 1.05 - 1, 12),
               round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 / 1.05 - 1, 12), 10) $$,
    'life: the time-weighted return, max and current drawdown by hand'
);
select results_eq(
    $$ select trades, winning_trades, losing_trades, round(win_rate::numeric, 12), avg_win, avg_loss, gross_profit,
              gross_loss, profit_factor
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (3, 2, 1, round(2 / 3.0, 12), 165::numeric, -10::numeric, 330::numeric, 10::numeric, 33::double precision) $$,
    'life: three closed trades (one fill closing two lots is one trade), win rate, averages, profit factor by hand'
);
select is(
    (select count(*)::integer from trading.lot_closures where account_id = pg_temp.acct('main')), 4,
    'the three trades are four lot closures'
);
select results_eq(
    $$ select round(return_day::numeric, 12), round(return_week::numeric, 12), round(return_month::numeric, 12),
              round(return_quarter::numeric, 12), round(return_year::numeric, 12)
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (round(11530 / 11380.0 - 1, 12), round(15430 / 14950.0 * 11530 / 11430.0 - 1, 12),
               round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 - 1, 12),
               round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 - 1, 12),
               round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 - 1, 12)) $$,
    'windows ending on day 10: the day (11,530 / 11,380), the week (days 4 .. 10: W10 / W3), and month, quarter, '
    'year reaching back before the first day (the account''s history)'
);
select is(
    (select money_weighted_return from analytics.account_performance(pg_temp.acct('main'))),
    (select money_weighted_return from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10))),
    'the money-weighted return is analytics.account_returns'''
);
-- Volatility, Sharpe and Sortino: analytics.return_metrics of the ten returns by hand, 365 periods a year.
select results_eq(
    $$ select round(volatility::numeric, 12), round(sharpe_ratio::numeric, 12), round(sortino_ratio::numeric, 12)
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ select round(annual_volatility::numeric, 12), round(sharpe_ratio::numeric, 12), round(sortino_ratio::numeric, 12)
       from analytics.return_metrics(pg_temp.rs(1, 10), null, 365) $$,
    'volatility, Sharpe and Sortino are return_metrics of the daily returns by hand (365 a year)'
);
select ok(
    (select abs(volatility - stddev_samp(x.r) * sqrt(365)) < 1e-12
     from analytics.account_performance(pg_temp.acct('main')), unnest(pg_temp.rs(1, 10)) as x (r) group by volatility),
    'volatility = sample std of the ten returns x sqrt(365)'
);

-- The benchmark (the platform default BENCH): BMK at the end of each day, 0 on day 5 (no bar); its return over
-- days 1 .. 10 is 216 / 200 - 1 = 8 %. Alpha, beta, correlation: return_metrics of the two series by hand.
select results_eq(
    $$ select return_date, close, round(daily_return::numeric, 12)
       from analytics.benchmark_daily_returns((select id from market.benchmarks where symbol = 'BENCH'), pg_temp.day(4), pg_temp.day(6)) $$,
    $$ values (pg_temp.day(4), 206::numeric, round(206 / 200.0 - 1, 12)), (pg_temp.day(5), 206, 0::numeric),
              (pg_temp.day(6), 210, round(210 / 206.0 - 1, 12)) $$,
    'a benchmark''s daily returns by date: the day''s 1d close over the day before''s, 0 on a day without a bar'
);
select results_eq(
    $$ select benchmark_symbol, round(benchmark_return::numeric, 12), round(alpha::numeric, 9), round(beta::numeric, 12),
              round(correlation::numeric, 12), reason
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ select 'BENCH'::text, 0.08::numeric, round(alpha::numeric, 9), round(beta::numeric, 12),
              round(correlation::numeric, 12), null::text
       from analytics.return_metrics(pg_temp.rs(1, 10), pg_temp.bs(1, 10), 365) $$,
    'the default benchmark: its return (216 / 200 - 1) and alpha, beta, correlation of the aligned series'
);

-- The week window: days 4 .. 10, seven returns; its trades are the two wins (no loss: no profit factor).
select results_eq(
    $$ select first_day, last_day, observations, trades, winning_trades, round(win_rate::numeric, 12), profit_factor,
              round(max_drawdown::numeric, 12), round(benchmark_return::numeric, 12)
       from analytics.account_performance(pg_temp.acct('main'), 'week') $$,
    $$ values (pg_temp.day(4), pg_temp.day(10), 7, 2, 2, 1::numeric, null::double precision,
               round(14950 / 15190.0 - 1, 12), round(216 / 200.0 - 1, 12)) $$,
    'a week: seven returns, two trades, win rate 1, no profit factor without losses; drawdown 14,950 / 15,190 - 1'
);
select results_eq(
    $$ select as_of, round(return_day::numeric, 12), trades, round(return_life::numeric, 12)
       from analytics.account_performance(pg_temp.acct('main'), 'life', pg_temp.day(7)) $$,
    $$ values (pg_temp.day(7), round(15430 / 14950.0 - 1, 12), 2, round(0.995 * 15430 / 14950.0 - 1, 12)) $$,
    'as of day 7: the day''s return, the trades by then, life up to then'
);
select is(
    (select as_of from analytics.account_performance(pg_temp.acct('main'), 'day', current_date + 400)),
    pg_temp.day(10), 'as_of is the last snapshot at or before p_as_of'
);
-- The account's life starts on the day it was opened: with created_at on day 3, days 1 and 2 are left out and
-- life starts from day 2's equity (10,500): W10 / W2 - 1.
update trading.accounts set created_at = pg_temp.at(3, '08:00') where id = pg_temp.acct('main');
select results_eq(
    $$ select first_day, round(return_life::numeric, 12), observations
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (pg_temp.day(3), round(0.995 * 15430 / 14950.0 * 11530 / 11430.0 / 1.05 - 1, 12), 8) $$,
    'snapshots of days before the account was opened are left out'
);
update trading.accounts set created_at = pg_temp.at(1, '08:00') where id = pg_temp.acct('main');

-- Holdings, now: main holds 30 RET at the quote 107 and 8,170 cash.
select results_eq(
    $$ select active_positions, largest_position_symbol, largest_position_value, largest_position_weight, diversity,
              round(cash_share::numeric, 12)
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (1, 'RET'::text, 3210::numeric, 1::double precision, 0::double precision, round(8170 / 11380.0, 12)) $$,
    'one position: weight 1, diversity 0, cash share 8,170 / (8,170 + 30 x 107)'
);
-- div buys 10 RET at 107 and 5 BMK at 214: two weights of 1/2, diversity 1 - (1/4 + 1/4).
do $$ begin
    perform pg_temp.trade('div', 'RET', 'buy', 10, 107, clock_timestamp());
    perform pg_temp.trade('div', 'BMK', 'buy', 5, 214, clock_timestamp());
end $$;
select results_eq(
    $$ select active_positions, largest_position_value, largest_position_weight, diversity, cash_share
       from analytics.account_performance(pg_temp.acct('div')) $$,
    $$ values (2, 1070::numeric, 0.5::double precision, 0.5::double precision, 0.786::double precision) $$,
    'two positions of 1,070: diversity 1 - (0.5^2 + 0.5^2), cash share 7,860 / 10,000'
);

-- Choosing a benchmark: RETB (RET has no close before day 1, so day 1 has no benchmark return).
select is(api.set_account_benchmark(pg_temp.acct('main'), 'RETB'), 'RETB', 'a user chooses the account''s benchmark');
select results_eq(
    $$ select benchmark_symbol, round(benchmark_return::numeric, 12), round(beta::numeric, 12), reason
       from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ select 'RETB'::text, round(112 / 100.0 - 1, 12), round(beta::numeric, 12),
              'the benchmark RETB has a daily return for 9 of the 10 days: its figures cover those'::text
       from analytics.return_metrics(pg_temp.rs(2, 10),
            array[110 / 100.0 - 1, 99 / 110.0 - 1, 104 / 99.0 - 1, 105 / 104.0 - 1, 102 / 105.0 - 1, 108 / 102.0 - 1,
                  110 / 108.0 - 1, 107 / 110.0 - 1, 112 / 107.0 - 1]::double precision [], 365) $$,
    'the chosen benchmark, over the nine days it has a return (and the reason says so)'
);
select is(api.set_account_benchmark(pg_temp.acct('main'), null), 'BENCH', 'null goes back to the platform default');
select is((select benchmark_id from trading.accounts where id = pg_temp.acct('main')), null::uuid, 'stored as null');
update market.benchmarks set is_default = false where symbol = 'BENCH';
select results_eq(
    $$ select benchmark_symbol, beta, reason from analytics.account_performance(pg_temp.acct('main')) $$,
    $$ values (null::text, null::double precision, 'no benchmark (the account has none and there is no platform default)'::text) $$,
    'without a default or a choice: no benchmark figures, and why'
);
update market.benchmarks set is_default = true where symbol = 'BENCH';
select throws_ok($$ update market.benchmarks set is_default = true where symbol = 'RETB' $$, '23505', null,
    'one platform default at most');
select throws_ok($$ update market.benchmarks set is_default = true where symbol = 'NOSEC' $$, '23514', null,
    'the default has a security');

-- The analysts' view: every user account over its life, the function's figures.
select results_eq(
    $$ select account_id, user_id, equity, return_life, trades, profit_factor, benchmark_symbol
       from analytics.account_performance where account_id = pg_temp.acct('main') $$,
    $$ select a.id, a.user_id, p.equity, p.return_life, p.trades, p.profit_factor, p.benchmark_symbol
       from trading.accounts as a, analytics.account_performance(a.id) as p where a.id = pg_temp.acct('main') $$,
    'the view holds the function''s life figures'
);
select is((select count(*) from analytics.account_performance where kind = 'system'), 0::bigint, 'no system account in the view');

-- api.account_performance: the user's own account, the same figures.
select results_eq(
    $$ select * from api.account_performance(pg_temp.acct('main'), 'month') $$,
    $$ select * from analytics.account_performance(pg_temp.acct('main'), 'month') $$,
    'api.account_performance is analytics.account_performance for one''s own account'
);

-- 2. Edge cases: an account without snapshots; a return out of return_metrics' range.
insert into acct values ('fresh', api.create_account('Fresh', 'paper', null, 500));
select results_eq(
    $$ select as_of, equity, return_life, trades, active_positions, cash_share, reason
       from analytics.account_performance(pg_temp.acct('fresh')) $$,
    $$ values (null::date, null::numeric, null::double precision, null::integer, 0, 1::double precision,
               format('account %s has no snapshot', pg_temp.acct('fresh'))) $$,
    'no snapshot: no return figures, and why; holdings still shown'
);
-- bad: its day-9 equity is 0.00000001 and day 10's 1,000, a return of 10^11 (return_metrics takes up to 10^9).
update trading.account_snapshots set cash = 0.00000001, equity = 0.00000001
where account_id = pg_temp.acct('bad') and snapshot_date = pg_temp.day(8);
update trading.account_snapshots set cash = 1000, equity = 1000
where account_id = pg_temp.acct('bad') and snapshot_date = pg_temp.day(9);
select results_eq(
    $$ select volatility, reason like '%no statistics: %' from analytics.account_performance(pg_temp.acct('bad')) $$,
    $$ values (null::double precision, true) $$,
    'a return beyond return_metrics'' range: no statistics, and why (the view does not fail)'
);
select ok((select count(*) > 3 from analytics.account_performance), 'the view lists every account, bad data included');

-- 3. risk.metrics: the risk_metrics job over day 10 (252 days: the ten returns there are). The snapshot job
-- has not run for day 10 (as when a worker runs the due jobs in name order): the job takes the snapshots first.
delete from trading.account_snapshots where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(10);
select is(
    (select status from ops.run_job('risk_metrics', pg_temp.at(11, '00:20'))), 'succeeded',
    'the risk_metrics job runs for day 10'
);
select is((select equity::numeric from trading.account_snapshots where account_id = pg_temp.acct('main')
           and snapshot_date = pg_temp.day(10)), 11530::numeric,
    'after taking the day''s snapshots, since the snapshot job had not');
select results_eq(
    $$ select as_of, window_days, observations, equity::numeric, (select symbol from market.benchmarks where id = benchmark_id)
       from risk.metrics where account_id = pg_temp.acct('main') $$,
    $$ values (pg_temp.day(10), 252, 10, 11530::numeric, 'BENCH'::text) $$,
    'main''s row: the day, the window, ten returns, the day''s equity, the default benchmark'
);
select results_eq(
    $$ select round(var_95::numeric, 12), round(var_99::numeric, 12), round(cvar_95::numeric, 12), round(cvar_99::numeric, 12), round(volatility::numeric, 12)
       from risk.metrics where account_id = pg_temp.acct('main') $$,
    $$ select round(var_95::numeric, 12), round(var_99::numeric, 12), round(cvar_95::numeric, 12), round(cvar_99::numeric, 12), round(annual_volatility::numeric, 12)
       from analytics.return_metrics(pg_temp.rs(1, 10), null, 365) $$,
    'VaR and CVaR 95/99 and volatility: return_metrics of the ten returns by hand'
);
select results_eq(
    $$ select round(var_95_loss, 6), round(var_99_loss, 6), round(cvar_95_loss, 6), round(cvar_99_loss, 6)
       from risk.metrics where account_id = pg_temp.acct('main') $$,
    $$ select round(-var_95::numeric * 11530, 6), round(-var_99::numeric * 11530, 6), round(-cvar_95::numeric * 11530, 6),
              round(-cvar_99::numeric * 11530, 6)
       from analytics.return_metrics(pg_temp.rs(1, 10), null, 365) $$,
    'as losses on the day''s equity of 11,530'
);
select ok(
    (select var_95_loss > 0 and cvar_99_loss >= var_99_loss from risk.metrics where account_id = pg_temp.acct('main')),
    'a loss is positive, CVaR at least VaR'
);
select results_eq(
    $$ select round(beta::numeric, 12), round(correlation::numeric, 12), round(tracking_error::numeric, 12), round(information_ratio::numeric, 12)
       from risk.metrics where account_id = pg_temp.acct('main') $$,
    $$ select round(beta::numeric, 12), round(correlation::numeric, 12), round(tracking_error::numeric, 12), round(information_ratio::numeric, 12)
       from analytics.return_metrics(pg_temp.rs(1, 10), pg_temp.bs(1, 10), 365) $$,
    'beta, correlation, tracking error, information ratio against the benchmark by hand'
);
select is(
    (select count(*)::integer from risk.metrics where as_of = pg_temp.day(10)),
    (select count(*)::integer from trading.accounts as a
     where a.kind <> 'system' and a.status = 'active' and a.id <> pg_temp.acct('bad')
       and exists (select from trading.account_snapshots as s where s.account_id = a.id and s.snapshot_date = pg_temp.day(10))),
    'a row for every active account with a snapshot that day, but the one set aside'
);
select is((select count(*)::integer from risk.metrics where account_id = pg_temp.acct('bad')), 0,
    'the account whose figures fail has no row for the day ...');
select ok(
    (select bool_and(severity = 'critical' and message like 'set aside by the risk metrics of ' || pg_temp.day(10)
                     || ' (no row for the day): %(SQLSTATE 22023)')
     from risk.alerts where account_id = pg_temp.acct('bad')),
    '... and a critical alert names the error'
);
select is((select count(*)::integer from risk.alerts where account_id = pg_temp.acct('bad')), 1, 'one alert');
select is((select status from ops.run_job('risk_metrics', pg_temp.at(11, '00:30'))), 'already_run',
    'the job runs a day once');
-- Running the day again (by hand) replaces: the same rows, new figures.
update trading.account_snapshots set equity = equity + 100, cash = cash + 100
where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(10);
create temporary table metrics_before as select account_id, as_of, equity from risk.metrics;
select is(risk.record_metrics(pg_temp.day(10)), (select count(*)::integer from metrics_before),
    'running day 10 again writes the same number of rows');
select is((select count(*)::integer from risk.metrics), (select count(*)::integer from metrics_before),
    'replaced, not duplicated');
select is((select equity::numeric from risk.metrics where account_id = pg_temp.acct('main')), 11630::numeric,
    'with the new figures');
update trading.account_snapshots set equity = equity - 100, cash = cash - 100
where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(10);
select is(ops.job_risk_metrics(pg_temp.at(10, '00:00'), pg_temp.at(11, '00:00')),
    (select count(*)::bigint from metrics_before), 'the job function, called again, replaces too');
-- Once the snapshot job has succeeded for the day, the risk job leaves the snapshots as they are.
insert into ops.job_runs (job_name, period_start, period_end, status, result)
values ('snapshot_accounts', pg_temp.at(10, '00:00'), pg_temp.at(11, '00:00'), 'succeeded', 1);
update trading.account_snapshots set equity = equity + 100, cash = cash + 100
where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(10);
select is(ops.job_risk_metrics(pg_temp.at(10, '00:00'), pg_temp.at(11, '00:00')),
    (select count(*)::bigint from metrics_before), 'the snapshot job had run ...');
select is((select equity::numeric from risk.metrics where account_id = pg_temp.acct('main')), 11630::numeric,
    '... so its snapshots are used as they are');
update trading.account_snapshots set equity = equity - 100, cash = cash - 100
where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(10);
select is((select count(*)::integer from risk.metrics where account_id = pg_temp.acct('bad')), 0,
    'the account set aside still has no row');
select results_eq(
    $$ select m.account_id, m.var_95, b.symbol from risk.metrics as m left join market.benchmarks as b on m.benchmark_id = b.id
       where m.account_id = pg_temp.acct('main') $$,
    $$ select account_id, var_95, benchmark_symbol from api.risk_metrics where account_id = pg_temp.acct('main') $$,
    'api.risk_metrics shows the row'
);

-- 4. Errors.
select throws_ok($$ select * from analytics.account_performance(null) $$, '22023', 'p_account_id must not be null',
    'account_performance: null account');
select throws_ok($$ select * from analytics.account_performance(pg_temp.acct('main'), 'fortnight') $$, '22023',
    'window ''fortnight'' is not day, week, month, quarter, year or life', 'account_performance: unknown window');
select throws_ok($$ select * from analytics.account_performance(pg_temp.acct('main'), null) $$, '22023',
    'window NULL is not day, week, month, quarter, year or life', 'account_performance: null window');
select throws_ok($$ select * from analytics.account_performance(pg_temp.acct('main'), 'life', 'infinity') $$, '22023',
    'p_as_of must be a date', 'account_performance: infinite day');
select throws_ok($$ select * from analytics.account_performance('00000000-0000-0000-0000-000000000000') $$, 'P0002',
    'account 00000000-0000-0000-0000-000000000000 does not exist', 'account_performance: unknown account');
select throws_ok(
    $$ select * from analytics.account_performance(trading.system_account('external_cash', 'USD')) $$, '22023', null,
    'account_performance: a system account'
);
select throws_ok($$ select * from analytics.benchmark_daily_returns((select id from market.benchmarks where symbol = 'BENCH'), 'infinity', current_date) $$,
    '22023', 'p_from and p_to must be dates', 'benchmark_daily_returns: infinite day');
select throws_ok($$ select * from analytics.benchmark_daily_returns((select id from market.benchmarks where symbol = 'BENCH'), current_date, current_date - 1) $$,
    '22023', null, 'benchmark_daily_returns: reversed days');
select throws_ok($$ select * from analytics.benchmark_daily_returns((select id from market.benchmarks where symbol = 'BENCH'), '1900-01-01', '2100-01-01') $$,
    '22023', '1900-01-01 to 2100-01-01 is more than 36,600 days', 'benchmark_daily_returns: too many days');
select throws_ok($$ select * from analytics.benchmark_daily_returns('00000000-0000-0000-0000-000000000000', current_date, current_date) $$,
    'P0002', 'benchmark 00000000-0000-0000-0000-000000000000 does not exist', 'benchmark_daily_returns: unknown benchmark');
select throws_ok($$ select api.set_account_benchmark(pg_temp.acct('main'), 'NOPE') $$, 'P0002',
    'benchmark ''NOPE'' does not exist', 'set_account_benchmark: unknown benchmark');
select throws_ok($$ select api.set_account_benchmark(pg_temp.acct('main'), 'OLDB') $$, '22023',
    'benchmark OLDB is inactive', 'set_account_benchmark: inactive benchmark');
select throws_ok($$ select api.set_account_benchmark(pg_temp.acct('main'), 'NOSEC') $$, '22023',
    'benchmark NOSEC is not priced (no security)', 'set_account_benchmark: a benchmark without a security');
select throws_ok($$ select risk.record_metrics(current_date + 1) $$, '22023', null, 'record_metrics: a day ahead');
select throws_ok($$ select risk.record_metrics(pg_temp.day(10), 1) $$, '22023',
    'p_window_days must be 2 to 3660 days, got 1', 'record_metrics: a window too short');
-- risk.metric_figures, the figures of a row for an account or a fund: return_metrics' own, losses on the value.
select results_eq(
    $$ select observations, var_95, cvar_99, volatility, beta, tracking_error
       from risk.metric_figures('{0.01, -0.02, 0.03, -0.01}', '{0.01, -0.02, 0.03}', '{0.02, -0.01, 0.01}', 1000) $$,
    $$ select 4, x.var_95, x.cvar_99, x.annual_volatility, y.beta, y.tracking_error
       from analytics.return_metrics('{0.01, -0.02, 0.03, -0.01}', null, 365) as x,
           analytics.return_metrics('{0.01, -0.02, 0.03}', '{0.02, -0.01, 0.01}', 365) as y $$,
    'metric_figures: analytics.return_metrics of the returns (365 periods) and of the days paired with the benchmark'
);
select is(
    (select array[var_95_loss, cvar_95_loss] from risk.metric_figures('{0.01, -0.02, 0.03, -0.01}', null, null, 1000)),
    (select array[round(-x.var_95::numeric * 1000, 8), round(-x.cvar_95::numeric * 1000, 8)]
     from analytics.return_metrics('{0.01, -0.02, 0.03, -0.01}', null, 365) as x),
    'metric_figures: the losses are -VaR and -CVaR times the value, to 8 places; no benchmark, no beta'
);
select results_eq(
    $$ select observations, var_95, volatility, beta from risk.metric_figures(null, null, null, 1000) $$,
    $$ values (0, null::double precision, null::double precision, null::double precision) $$,
    'metric_figures: no returns, no figures (observations 0)'
);
-- Another user's account (42501) and anonymous callers (TB008): pgTAP runs as a superuser, whom
-- trading.authorized_account lets through, so the app login's proof with two users is
-- tests/python/test_account_performance.py.

select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold');

select * from finish();
rollback;
