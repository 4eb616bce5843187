-- analytics.return_metrics and analytics.return_metrics_agg (issue 15 §1, docs/analytics.md "Return metrics"):
-- a series small enough to check by hand, with and without a benchmark; each documented edge case; every
-- documented error (22023); the aggregate over a GROUP BY; who may run them. The comparison with
-- empyrical-reloaded on random series is tests/python/test_return_metrics.py.
begin;
select plan(71);

-- Equal to 1e-12 relative (the hand figures are exact decimals; the function computes in binary).
create function pg_temp.near(p_got double precision, p_want double precision) returns boolean
language sql immutable as $$
    select p_got is not null and pg_catalog.abs(p_got - p_want) <= 1e-12 * pg_catalog.abs(p_want) + 1e-15
$$;

-- 1. By hand: r = 0.10, -0.10, 0.05, 0 at 4 periods a year (quarters), benchmark b = 0.05, -0.05, 0.02, 0.01.
--    wealth 1.1, 0.99, 1.0395, 1.0395: cumulative and (n = P) annual return 0.0395; the peak 1.1 then 0.99:
--    max drawdown 0.99 / 1.1 - 1 = -0.1, calmar 0.0395 / 0.1. mean 0.0125, deviations 0.0875, -0.1125,
--    0.0375, -0.0125: Σ² 0.021875, sample sd √(0.021875 / 3), volatility sd · √4, Sharpe 0.0125 / sd · 2.
--    min(r, 0)² = 0, 0.01, 0, 0: downside √(0.01 / 4) · 2 = 0.1, sortino 0.0125 · 4 / 0.1 = 0.5; omega
--    (0.1 + 0.05) / 0.1 = 1.5. Sorted -0.1, 0, 0.05, 0.1: the 5 % quantile at index 3 · 0.05 = 0.15 is
--    -0.1 + 0.1 · 0.15 = -0.085, the 1 % at 0.03: -0.097, the 95 % at 2.85 (weight 0.85, from the upper
--    neighbour): 0.1 - 0.05 · 0.15 = 0.0925; tail ratio 0.0925 / 0.085; CVaR (k = floor(3 · 0.05) = 0): -0.1.
--    Skew m3 / m2^1.5 and kurtosis m4 / m2² - 3 from the deviations; stability is regr_r2 of the log wealth.
--    Against b (mean 0.0075, deviations 0.0425, -0.0575, 0.0125, 0.0025): Σ (b - b̄) r = 0.010625,
--    Σ (b - b̄)² = 0.005275, beta = 0.010625 / 0.005275, correlation 0.010625 / √(0.005275 · 0.021875),
--    alpha (1 + 0.0125 - beta · 0.0075)^4 - 1; active r - b = 0.05, -0.05, 0.03, -0.01 (mean 0.005,
--    deviations 0.045, -0.055, 0.025, -0.015, Σ² 0.0059): tracking error √(0.0059 / 3) · 2, information
--    ratio 0.005 / √(0.0059 / 3) · 2.
create temporary table hand as
select * from analytics.return_metrics(array[0.1, -0.1, 0.05, 0], array[0.05, -0.05, 0.02, 0.01], 4);

select is((select observations from hand), 4, 'four observations');
select ok(pg_temp.near((select cumulative_return from hand), 0.0395), 'cumulative return 1.1 · 0.9 · 1.05 - 1');
select ok(pg_temp.near((select annual_return from hand), 0.0395), 'annual return: one year of quarters');
select ok(pg_temp.near((select annual_volatility from hand), sqrt(0.021875 / 3) * 2), 'annual volatility');
select ok(pg_temp.near((select sharpe_ratio from hand), 0.0125 / sqrt(0.021875 / 3) * 2), 'Sharpe ratio');
select ok(pg_temp.near((select downside_risk from hand), 0.1), 'downside risk over all four periods');
select ok(pg_temp.near((select sortino_ratio from hand), 0.5), 'Sortino ratio');
select ok(pg_temp.near((select max_drawdown from hand), -0.1), 'max drawdown from the peak 1.1 to 0.99');
select ok(pg_temp.near((select calmar_ratio from hand), 0.395), 'Calmar ratio');
select ok(pg_temp.near((select omega_ratio from hand), 1.5), 'omega ratio');
select ok(pg_temp.near((select var_95 from hand), -0.085), 'VaR 95: the 5 % quantile, interpolated');
select ok(pg_temp.near((select var_99 from hand), -0.097), 'VaR 99');
select ok(pg_temp.near((select tail_ratio from hand), 0.0925 / 0.085), 'tail ratio |p95| / |p5|');
select ok(pg_temp.near((select cvar_95 from hand), -0.1), 'CVaR 95: the mean of the 1 smallest');
select ok(pg_temp.near((select cvar_99 from hand), -0.1), 'CVaR 99');
select ok(pg_temp.near((select best_period from hand), 0.1), 'best period');
select ok(pg_temp.near((select worst_period from hand), -0.1), 'worst period');
select ok(pg_temp.near(
    (select skew from hand),
    ((0.0875 ^ 3 - 0.1125 ^ 3 + 0.0375 ^ 3 - 0.0125 ^ 3) / 4) / ((0.021875 / 4) ^ 1.5)
), 'skew: population moments');
select ok(pg_temp.near(
    (select kurtosis from hand),
    ((0.0875 ^ 4 + 0.1125 ^ 4 + 0.0375 ^ 4 + 0.0125 ^ 4) / 4) / ((0.021875 / 4) ^ 2) - 3
), 'kurtosis: excess, population moments');
select ok(pg_temp.near(
    (select stability from hand),
    (select regr_r2(y, t) from (values (0, ln(1.1)), (1, ln(1.1 * 0.9)), (2, ln(1.0395)), (3, ln(1.0395))) as v (t, y))
), 'stability: R² of the log wealth against time');
select ok(pg_temp.near((select beta from hand), 0.010625 / 0.005275), 'beta: population covariance / variance');
select ok(pg_temp.near((select alpha from hand), (1 + 0.0125 - (0.010625 / 0.005275) * 0.0075) ^ 4 - 1), 'alpha');
select ok(pg_temp.near((select correlation from hand), 0.010625 / sqrt(0.005275 * 0.021875)), 'correlation');
select ok(pg_temp.near((select tracking_error from hand), sqrt(0.0059 / 3) * 2), 'tracking error');
select ok(pg_temp.near((select information_ratio from hand), 0.005 / sqrt(0.0059 / 3) * 2), 'information ratio');
select is(
    (select num_nulls(beta, alpha, correlation, tracking_error, information_ratio)
     from analytics.return_metrics(array[0.1, -0.1, 0.05, 0], null, 4)),
    5, 'no benchmark: no benchmark figures'
);

-- 2. Edge cases: an answer, never an error (empyrical's where it has one; NULL where its figure is NaN or
--    infinite).
select is(
    (select array[observations::float8, cumulative_return, sharpe_ratio, max_drawdown, var_95, skew]
     from analytics.return_metrics('{}')),
    array[0, null, null, null, null, null]::float8 [], 'an empty series: 0 observations, every figure NULL'
);
select is((select observations from analytics.return_metrics(null)), 0, 'a NULL array is an empty series');
select is(
    (select num_nulls(cumulative_return, annual_volatility, sharpe_ratio, downside_risk, sortino_ratio,
        max_drawdown, calmar_ratio, omega_ratio, tail_ratio, stability, var_95, skew, kurtosis)
     from analytics.return_metrics(array[0.01])),
    8, 'one value: no volatility, Sharpe, Sortino, Calmar, omega, stability, skew or kurtosis'
);
select ok(
    (select pg_temp.near(annual_return, 1.01 ^ 252 - 1) and downside_risk = 0 and max_drawdown = 0
        and tail_ratio = 1 and var_95 = 0.01 and cvar_99 = 0.01 and best_period = 0.01
     from analytics.return_metrics(array[0.01])),
    'one value: its annualised return, no downside or drawdown, itself as every quantile'
);
select ok(
    (select pg_temp.near(calmar_ratio, ((0.98 ^ 252) - 1) / 0.02) from analytics.return_metrics(array[-0.02])),
    'one loss: a drawdown, so a Calmar ratio'
);
select is(
    (select array[cumulative_return, annual_return, annual_volatility, downside_risk, max_drawdown]
     from analytics.return_metrics(array[0, 0, 0, 0, 0]::float8 [])),
    array[0, 0, 0, 0, 0]::float8 [], 'all zero: nothing gained, lost or spread'
);
select is(
    (select num_nulls(sharpe_ratio, sortino_ratio, calmar_ratio, omega_ratio, tail_ratio, stability, skew, kurtosis)
     from analytics.return_metrics(array[0, 0, 0, 0, 0]::float8 [])),
    8, 'all zero: every ratio NULL (0 / 0)'
);
select ok(
    (select omega_ratio = 0 and sortino_ratio < 0 and sharpe_ratio < 0
        and pg_temp.near(max_drawdown, 0.99 * 0.98 * 0.97 - 1) and pg_temp.near(cumulative_return, max_drawdown)
     from analytics.return_metrics(array[-0.01, -0.02, -0.03])),
    'all negative: omega 0, negative ratios, the whole fall is the drawdown'
);
select ok(
    (select annual_volatility = 0 and downside_risk = 0 and max_drawdown = 0 and pg_temp.near(stability, 1)
     from analytics.return_metrics(array_fill(0.003::float8, array[7]))),
    'constant: no volatility, downside or drawdown, a perfectly straight log wealth'
);
select is(
    (select num_nulls(sharpe_ratio, sortino_ratio, calmar_ratio, omega_ratio, skew, kurtosis)
     from analytics.return_metrics(array_fill(0.003::float8, array[7]))),
    6, 'constant: Sharpe, Sortino, Calmar, omega, skew and kurtosis NULL (no dispersion, no loss)'
);
select ok(
    (select sharpe_ratio is null and annual_volatility = 0 and sortino_ratio < 0 and omega_ratio = 0
     from analytics.return_metrics(array_fill(-0.01::float8, array[4]))),
    'constant loss: no Sharpe ratio (empyrical: -infinity), a Sortino ratio'
);
select is(
    (select array[cumulative_return, annual_return, max_drawdown, calmar_ratio, cvar_95]
     from analytics.return_metrics(array[0.1, -1, 0.2])),
    array[-1, -1, -1, -1, -1]::float8 [], 'a return of -1: everything lost, whatever follows'
);
select ok(
    (select stability is null and pg_temp.near(best_period, 0.2) from analytics.return_metrics(array[0.1, -1, 0.2])),
    'a return of -1: no stability (the log wealth is -infinity)'
);
select ok(
    (select beta is null and alpha is null and correlation is null
        and pg_temp.near(tracking_error, annual_volatility) and information_ratio is not null
     from analytics.return_metrics(array[0.01, -0.02, 0.03], array[0.01, 0.01, 0.01])),
    'a zero-variance benchmark: no beta, alpha or correlation; tracking error as volatility'
);
select ok(
    (select pg_temp.near(beta, 1) and pg_temp.near(correlation, 1) and abs(alpha) < 1e-12
        and tracking_error = 0 and information_ratio is null
     from analytics.return_metrics(array[0.01, -0.02, 0.03], array[0.01, -0.02, 0.03])),
    'the benchmark itself: beta 1, alpha 0, correlation 1, no tracking error, no information ratio'
);
select is(
    (select num_nulls(beta, alpha, correlation, tracking_error, information_ratio)
     from analytics.return_metrics(array[0.01], array[0.02])),
    5, 'one value and a benchmark: no benchmark figure'
);
select ok(
    (select pg_temp.near(stability, 1) and abs(skew) < 1e-12 and pg_temp.near(kurtosis, -2)
     from analytics.return_metrics(array[0.01, -0.02])),
    'two values: a line through two points, symmetric (skew 0 up to rounding)'
);
select is(
    (select stability from analytics.return_metrics(array[0.02, 0, 0, 0])),
    null, 'a log wealth that never moves after the first period: no stability'
);

-- 3. Larger series: the tails that are sorted (past 4,096 returns those beyond a sample's thresholds, else
--    all) give the quantiles and CVaR of a full sort, and the extremes: 1,000 returns (all sorted), 5,000
--    and 20,000 (tails), 9,999 mostly tied with a long low tail, and 10,000 whose 512 sampled positions hold
--    its 512 lowest returns, so that the sample's thresholds cut a low tail too short (the full sort then).
create temporary table series as
select n, pg_catalog.array_agg(r order by i) as r
from (values (1000), (5000), (20000)) as s (n)
cross join lateral (
    select i, (((i * 7919) % 1000) / 1000.0 * 0.04 - 0.02 + case when i % 97 = 0 then -0.3 else 0 end)::float8 as r
    from generate_series(1, s.n) as i
) as v
group by n;
insert into series
select 9999, array_agg(case when i <= 9000 then 0.001 else -0.05 * (i - 9000) / 1000.0 end::float8 order by i)
from generate_series(1, 10000) as i;
insert into series
select 10000, array_agg(case when p.g is null then ((i * 7919) % 1000) / 100000.0 else -0.5 - p.g / 2000.0 end::float8
    order by i)
from generate_series(1, 10000) as i
left join (select g, 1 + (g::bigint * 9999 / 511)::int as at from generate_series(0, 511) as g) as p on p.at = i;
create temporary table sorted_figures as
select
    s.n, m.var_95, m.var_99, m.cvar_95, m.cvar_99, m.tail_ratio, m.best_period, m.worst_period,
    (select percentile_cont(0.05) within group (order by x) from unnest(s.r) as x) as p05,
    (select percentile_cont(0.01) within group (order by x) from unnest(s.r) as x) as p01,
    (select percentile_cont(0.95) within group (order by x) from unnest(s.r) as x) as p95,
    (select avg(x) from (select x from unnest(s.r) as x order by x
        limit floor((cardinality(s.r) - 1) * 0.05)::int + 1) as t) as c95,
    (select avg(x) from (select x from unnest(s.r) as x order by x
        limit floor((cardinality(s.r) - 1) * 0.01)::int + 1) as t) as c99,
    (select max(x) from unnest(s.r) as x) as hi,
    (select min(x) from unnest(s.r) as x) as lo
from series as s cross join analytics.return_metrics(s.r) as m;
select is(
    (select array_agg(n order by n) from sorted_figures
     where pg_temp.near(var_95, p05) and pg_temp.near(var_99, p01) and pg_temp.near(cvar_95, c95)
        and pg_temp.near(cvar_99, c99) and best_period = hi and worst_period = lo),
    array[1000, 5000, 9999, 10000, 20000],
    'VaR, CVaR and the extremes of a full sort, whichever tails were sorted'
);
select is(
    (select array_agg(n order by n) from sorted_figures where pg_temp.near(tail_ratio, abs(p95) / abs(p05))),
    array[1000, 5000, 9999, 10000, 20000],
    'the 95 % quantile from the upper tail'
);

-- 4. The aggregate: the function of the returns in the aggregate's order, per group.
create temporary table daily as
select account, day, ((day * 31 + account * 17) % 23 - 10) / 500.0 as r
from generate_series(1, 3) as account cross join generate_series(1, 40) as day;
select results_eq(
    $$ select d.account, (analytics.return_metrics_agg(d.r order by d.day)).*
       from daily as d group by d.account order by d.account $$,
    $$ select a.account, m.*
       from (select account, array_agg(r order by day) as r from daily group by account) as a
       cross join analytics.return_metrics(a.r) as m order by a.account $$,
    'return_metrics_agg(r order by day) ... group by: the function of each group''s series'
);
select is(
    (select (analytics.return_metrics_agg(r)).observations from daily where false),
    0, 'the aggregate over no rows: an empty series'
);
select throws_ok(
    $$ select analytics.return_metrics_agg(r order by day) from (values (1, 0.01), (2, null)) as v (day, r) $$,
    '22023', 'p_returns element 2 must be a simple return from -1 to 1e9, got null',
    'the aggregate refuses a NULL return, as the function does'
);

-- 5. Every documented error: 22023, naming the element.
select throws_ok($$ select analytics.return_metrics(array[0.01, null, 0.02]) $$,
    '22023', 'p_returns element 2 must be a simple return from -1 to 1e9, got null', 'a NULL return');
select throws_ok($$ select analytics.return_metrics(array[0.01, 'NaN']) $$,
    '22023', 'p_returns element 2 must be a simple return from -1 to 1e9, got NaN', 'a NaN return');
select throws_ok($$ select analytics.return_metrics(array['Infinity', 0.01]) $$,
    '22023', 'p_returns element 1 must be a simple return from -1 to 1e9, got Infinity', 'an infinite return');
select throws_ok($$ select analytics.return_metrics(array[0.01, '-Infinity']) $$,
    '22023', null, 'a -Infinity return');
select throws_ok($$ select analytics.return_metrics(array[0.01, -1.5]) $$,
    '22023', 'p_returns element 2 must be a simple return from -1 to 1e9, got -1.5', 'a return below -1');
select throws_ok($$ select analytics.return_metrics(array[2e9, 0.01]) $$,
    '22023', null, 'a return above 1e9 (a price, not a return)');
select throws_ok($$ select analytics.return_metrics(array[0.01, 0.02], array[0.01]) $$,
    '22023', 'p_benchmark has 1 returns and p_returns 2: they must be aligned period by period',
    'a benchmark of another length');
select throws_ok($$ select analytics.return_metrics('{}', array[0.01]) $$,
    '22023', null, 'a benchmark for no returns');
select throws_ok($$ select analytics.return_metrics(array[0.01, 0.02], array[0.01, 'NaN']) $$,
    '22023', 'p_benchmark element 2 must be a simple return from -1 to 1e9, got NaN', 'a NaN benchmark return');
select throws_ok($$ select analytics.return_metrics(array[0.01, 0.02], array[null, 0.01]) $$,
    '22023', null, 'a NULL benchmark return');
select throws_ok($$ select analytics.return_metrics(array[0.01, 0.02], null, 0) $$,
    '22023', 'p_periods_per_year must be a positive number of periods, got 0', 'no periods a year');
select throws_ok($$ select analytics.return_metrics(array[0.01, 0.02], null, null) $$,
    '22023', null, 'a NULL number of periods a year');
select throws_ok($$ select analytics.return_metrics(array[[0.01, 0.02], [0.03, 0.04]]) $$,
    '22023', 'p_returns and p_benchmark must be one-dimensional arrays', 'a two-dimensional array');
select throws_ok($$ select analytics.return_metrics(array[1e-200, 2e-200, 3e-200]) $$,
    '22023', null, 'returns too small for double precision statistics (an underflow)');

-- 6. Who may run them: the analyst (and support staff), not the app.
set local role tradebase_analyst;
select lives_ok($$ select analytics.return_metrics(array[0.01, -0.02], array[0.0, 0.01], 12) $$,
    'the analyst runs return_metrics');
select lives_ok($$ select analytics.return_metrics_agg(x order by x) from (values (0.01::float8), (0.02)) as v (x) $$,
    'the analyst runs return_metrics_agg');
select throws_ok($$ select analytics.return_metrics(array['NaN'::float8]) $$,
    '22023', null, 'the analyst gets the 22023, not a permission error from app.raise_error');
reset role;
set local role tradebase_app;
select throws_ok($$ select analytics.return_metrics(array[0.01]) $$, '42501', null, 'an app may not');
reset role;

-- analytics.return_ratios, the figures return_metrics finishes with (and a sweep's curves): from the hand
-- series' accumulators (mean 0.0125, Σ² 0.021875, best 0.1, worst -0.1, min(r, 0) = 0, -0.1, 0, 0: mean -0.025
-- and population variance 0.01 / 4 - 0.025², log wealth ln 1.0395, log drawdown ln 0.9) the same figures;
-- no observations: only the count.
create temporary table ratios as
select * from analytics.return_ratios(4, 0.0125, 0.021875, 0.1, -0.1, -0.025, 0.0025 - 0.000625, ln(1.0395), ln(0.9), 4);
select ok(
    pg_temp.near((select annual_return from ratios), 0.0395)
    and pg_temp.near((select sharpe_ratio from ratios), 0.0125 / sqrt(0.021875 / 3) * 2)
    and pg_temp.near((select sortino_ratio from ratios), 0.5)
    and pg_temp.near((select max_drawdown from ratios), -0.1)
    and pg_temp.near((select calmar_ratio from ratios), 0.395)
    and pg_temp.near((select annual_volatility from ratios), sqrt(0.021875 / 3) * 2),
    'return_ratios: the hand series'' annual return, volatility, Sharpe, Sortino, drawdown and Calmar from its accumulators'
);
select is(
    (select num_nulls(var_95, skew, beta, omega_ratio, stability) from ratios), 5,
    'return_ratios: the figures it does not compute are null'
);
select is(
    (select row(observations, num_nulls(annual_return, sharpe_ratio, sortino_ratio, calmar_ratio, max_drawdown))
     from analytics.return_ratios(0, null, null, null, null, null, null, null, null, 252)),
    row(0, 5), 'return_ratios: no observations, no figures'
);
select is(
    (select sharpe_ratio is null and annual_volatility = 0 from analytics.return_ratios(3, 0.01, 1e-20, 0.01, 0.01, 0, 0,
        3 * ln(1.01), 0, 252)),
    true, 'return_ratios: equal best and worst is a constant series: no dispersion, whatever rounding left in Σ²'
);

select * from finish();
rollback;
