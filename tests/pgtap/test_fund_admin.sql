-- Fund administration (issue 17, docs/funds.md "Pausing and closing", "Crystallization date", "Risk
-- metrics"): api.create_fund's p_crystallization_date, api.set_fund_crystallization_date, api.set_fund_status
-- (pause, resume, close, the illegal transitions) with every documented error, and the funds' own rows in
-- risk.metrics (risk.write_fund_metrics through the risk_metrics job) against figures computed here with
-- PostgreSQL's own aggregates (percentile_cont, stddev_samp, covar_pop, corr) on the same NAV-per-share and
-- benchmark returns. The session is a superuser (an administrator), so "another manager's fund" (42501) and
-- what each user sees (RLS) are proven as the app login (tb_test_app) with the users' own session tokens.
begin;
select plan(105);
-- The strikes below replay days long past: each request is dated just after its fund's last strike
-- (tests/sql/helpers.sql), as if made between two strikes.
do $$ begin perform tests.replay_fund_requests(); end $$;

-- Users with passwords (their session tokens log in as the app role below).
do $$ begin
    perform api.register_user('fa-m@example.com', 'fa_m', 'fund admin pass 1');
    perform api.register_user('fa-n@example.com', 'fa_n', 'fund admin pass 2');
    perform api.register_user('fa-x@example.com', 'fa_x', 'fund admin pass 3');
    perform api.register_user('fa-y@example.com', 'fa_y', 'fund admin pass 4');
end $$;
update auth.users set role = 'fund_manager' where username in ('fa_m', 'fa_n');
update auth.users set kyc_status = 'verified', kyc_verified_at = now() where username in ('fa_x', 'fa_y');
create temporary table u as
select
    (select id from auth.users where username = 'fa_m') as m,
    (select id from auth.users where username = 'fa_n') as n,
    (select id from auth.users where username = 'fa_x') as x,
    (select id from auth.users where username = 'fa_y') as y;
create temporary table tokens as
select 'n'::text as name, api.login('fa_n', 'fund admin pass 2') as token
union all select 'x', api.login('fa_x', 'fund admin pass 3')
union all select 'y', api.login('fa_y', 'fund admin pass 4')
union all select 'm', api.login('fa_m', 'fund admin pass 1');
grant select on u, tokens to public;
create temporary table today as select (now() at time zone 'UTC')::date as d;
grant select on today to public;

-- Prices: FAX, the fund's holding (a quote per day), and FABMK, the benchmark's security (daily bars).
do $$ begin
    perform api.upsert_security('FAX', 'Fund admin test', 'stock');
    perform api.upsert_security('FABMK', 'Fund admin benchmark', 'etf');
end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', c.d::timestamp at time zone 'UTC', c.close, c.close, c.close, c.close
from market.securities as s
cross join (values
    ('2026-09-30'::date, 200), ('2026-10-01', 202), ('2026-10-02', 205), ('2026-10-03', 201), ('2026-10-04', 203),
    ('2026-10-05', 210), ('2026-10-06', 207), ('2026-10-07', 212), ('2026-10-08', 211)
) as c (d, close)
where s.symbol = 'FABMK';
insert into market.benchmarks (symbol, name, security_id) select 'FABM', 'Fund admin benchmark', id
from market.securities where symbol = 'FABMK';

-- 1. api.create_fund's p_crystallization_date: a day from today to a year ahead, by default 31 December.
do $$ begin perform api.act_as((select m from u)); end $$;
create temporary table f as
select
    api.create_fund('Risk Fund', 'mini', null, null, null, null, 0, null, 'medium', 'FABM',
        (select d + 30 from today)) as risk,
    api.create_fund('Status Fund', 'mini', null, null, null, null, null, null, 'medium', null,
        (select (d + interval '1 year')::date from today)) as status,
    api.create_fund('Default Fund', 'mini') as dflt;
grant select on f to public;
select results_eq(
    $$ select crystallization_date from fund.funds where id in ((select risk from f), (select status from f), (select dflt from f))
       order by crystallization_date $$,
    $$ select v.d from (
           values ((select d + 30 from today)),
                  (make_date(date_part('year', now() at time zone 'UTC')::integer, 12, 31)),
                  ((select (d + interval '1 year')::date from today))
       ) as v (d) order by v.d $$,
    'the first crystallization on the day given (a year ahead at most), by default the next 31 December'
);
select is(
    (select (detail ->> 'crystallization_date')::date from audit.log
     where event = 'fund_created' and detail ->> 'fund_id' = (select risk from f)::text),
    (select d + 30 from today), 'the fund_created audit event names the date'
);
select throws_ok(
    $$ select api.create_fund('Late Fund', 'mini', null, null, null, null, null, null, 'medium', null,
           (select d - 1 from today)) $$,
    '22023', null, 'create_fund: a crystallization date in the past'
);
select throws_ok(
    $$ select api.create_fund('Late Fund', 'mini', null, null, null, null, null, null, 'medium', null,
           (select (d + interval '1 year')::date + 1 from today)) $$,
    '22023', null, 'create_fund: a crystallization date more than a year ahead'
);
select throws_ok(
    $$ select api.create_fund('Late Fund', 'mini', null, null, null, null, null, null, 'medium', null, 'infinity') $$,
    '22023', null, 'create_fund: an infinite crystallization date'
);
select is((select count(*)::integer from fund.funds where name = 'Late Fund'), 0, 'nothing of a refused fund is left');

-- 2. api.set_fund_crystallization_date before any crystallization.
select results_eq(
    $$ select id, crystallization_date from api.set_fund_crystallization_date((select dflt from f),
           (select d + 60 from today)) $$,
    $$ values ((select dflt from f), (select d + 60 from today)) $$,
    'the manager moves the date; the fund comes back (api.funds)'
);
select is(
    (select (detail ->> 'previous')::date from audit.log
     where event = 'fund_crystallization_date_set' and detail ->> 'fund_id' = (select dflt from f)::text),
    make_date(date_part('year', now() at time zone 'UTC')::integer, 12, 31),
    'audited, naming the previous date'
);
select lives_ok(
    $$ select api.set_fund_crystallization_date((select dflt from f), (select d from today)) $$,
    'today is allowed'
);
select throws_ok($$ select api.set_fund_crystallization_date((select dflt from f), (select d - 1 from today)) $$,
    '22023', null, 'a date in the past');
select throws_ok(
    $$ select api.set_fund_crystallization_date((select dflt from f), (select (d + interval '1 year')::date + 1 from today)) $$,
    '22023', null, 'a date more than a year ahead');
select throws_ok($$ select api.set_fund_crystallization_date((select dflt from f), null) $$, '22023', null,
    'a null date');
select throws_ok($$ select api.set_fund_crystallization_date(null, (select d from today)) $$, '22023', null,
    'a null fund');
select throws_ok($$ select api.set_fund_crystallization_date(gen_random_uuid(), (select d from today)) $$, 'P0002',
    null, 'an unknown fund');

-- 3. The Risk Fund: X's 10,000 deal at 1.00 on 1 October; the manager buys 50 FAX at 100; a strike a day
--    to 8 October on a new price each day. (No management fee: the NAV per share follows FAX alone.)
do $$ begin
    perform api.act_as((select x from u));
    perform api.deposit(api.create_account('FA X live', 'live'), 30000);
    perform api.subscribe((select risk from f), (select id from trading.accounts where name = 'FA X live'), 10000);
    perform api.act_as((select m from u));
    perform api.record_price('FAX', 100, '2026-10-01 12:00+00');
    perform api.strike_nav((select risk from f), '2026-10-01 18:00+00');
    perform api.fund_trade((select risk from f), 'FAX', 'buy', 50);
end $$;
create temporary table prices as
select * from (values
    ('2026-10-02'::date, 104::numeric), ('2026-10-03', 99), ('2026-10-04', 101), ('2026-10-05', 108),
    ('2026-10-06', 103), ('2026-10-07', 110), ('2026-10-08', 107)
) as p (d, price);
do $$
declare
    v record;
begin
    for v in select * from prices order by d loop
        perform api.record_price('FAX', v.price, v.d + time '12:00' at time zone 'UTC');
        perform api.strike_nav((select risk from f), v.d + time '18:00' at time zone 'UTC');
    end loop;
end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share from fund.performance_snapshots
       where fund_id = (select risk from f) and snapshot_date = '2026-10-08' $$,
    $$ values (10350::numeric, 1.035::numeric) $$, '8 October: 5,000 cash + 50 x 107 = 10,350, 1.035 per share'
);

-- 4. The risk_metrics job writes the fund's own row (its fund step, after strike_funds in the schedule).
select is((select schedule from ops.jobs where name = 'risk_metrics') > (select schedule from ops.jobs where name = 'strike_funds')
    and (select split_part(schedule, ' ', 1)::integer from ops.jobs where name = 'risk_metrics') = 40,
    true, 'risk_metrics runs at 00:40, after strike_funds (00:30)');
select is((select status from ops.run_job('risk_metrics', '2026-10-09 00:41+00')), 'succeeded',
    'the risk_metrics job runs for 8 October');
select is(
    (select count(*)::integer from risk.metrics where fund_id = (select risk from f) and as_of = '2026-10-08'), 1,
    'one row for the fund that day'
);
select is(
    (select count(*)::integer from risk.metrics
     where account_id = (select account_id from fund.funds where id = (select risk from f)) and as_of = '2026-10-08'), 1,
    'beside the row of its account (flow-adjusted account returns)'
);
-- The expected figures, computed here from the snapshots and the bars.
create temporary table expected as
with r as (
    select s.snapshot_date as d, s.daily_return as r
    from fund.performance_snapshots as s
    where s.fund_id = (select risk from f) and s.daily_return is not null and s.snapshot_date <= '2026-10-08'
),
b as (
    select x.d, x.b from (
        select (m.ts at time zone 'UTC')::date as d, (m.close / lag(m.close) over (order by m.ts))::double precision - 1 as b
        from market.market_data as m
        where m.security_id = (select id from market.securities where symbol = 'FABMK') and m.timeframe = '1d'
    ) as x where x.b is not null
),
j as (select r.d, r.r, b.b from r inner join b on r.d = b.d),
ranked as (select r.r, row_number() over (order by r.r) as k, count(*) over () as n from r)
select
    (select count(*)::integer from r) as observations,
    (select percentile_cont(0.05) within group (order by r.r) from r) as var_95,
    (select percentile_cont(0.01) within group (order by r.r) from r) as var_99,
    (select avg(x.r) from ranked as x where x.k <= floor((x.n - 1) * 0.05) + 1) as cvar_95,
    (select avg(x.r) from ranked as x where x.k <= floor((x.n - 1) * 0.01) + 1) as cvar_99,
    (select stddev_samp(r.r) * sqrt(365) from r) as volatility,
    (select covar_pop(j.r, j.b) / var_pop(j.b) from j) as beta,
    (select corr(j.r, j.b) from j) as correlation,
    (select stddev_samp(j.r - j.b) * sqrt(365) from j) as tracking_error,
    (select avg(j.r - j.b) / stddev_samp(j.r - j.b) * sqrt(365) from j) as information_ratio,
    (select count(*)::integer from j) as paired;
select is((select observations from expected), 7, 'seven daily returns (2 to 8 October)');
select is((select paired from expected), 7, 'and a benchmark return on each of those days');
select results_eq(
    $$ select m.observations, m.window_days, m.equity::numeric, b.symbol
       from risk.metrics as m inner join market.benchmarks as b on m.benchmark_id = b.id
       where m.fund_id = (select risk from f) and m.as_of = '2026-10-08' $$,
    $$ values (7, 252, 10350::numeric, 'FABM'::text) $$,
    'the row: 7 observations over 252 days, the NAV of the day, the fund''s benchmark'
);
create temporary table got as
select * from risk.metrics where fund_id = (select risk from f) and as_of = '2026-10-08';
select ok(abs(g.var_95 - e.var_95) < 1e-12, 'var_95 is the 5 percent quantile (percentile_cont)') from got as g, expected as e;
select ok(abs(g.var_99 - e.var_99) < 1e-12, 'var_99 is the 1 percent quantile') from got as g, expected as e;
select ok(abs(g.cvar_95 - e.cvar_95) < 1e-12, 'cvar_95: the mean of the floor((n-1) x 0.05) + 1 smallest returns')
from got as g, expected as e;
select ok(abs(g.cvar_99 - e.cvar_99) < 1e-12, 'cvar_99 likewise at 0.01') from got as g, expected as e;
select ok(abs(g.volatility - e.volatility) < 1e-12, 'volatility: stddev_samp x sqrt(365)') from got as g, expected as e;
select ok(abs(g.beta - e.beta) < 1e-12, 'beta: covar_pop / var_pop of the benchmark') from got as g, expected as e;
select ok(abs(g.correlation - e.correlation) < 1e-12, 'correlation: corr()') from got as g, expected as e;
select ok(abs(g.tracking_error - e.tracking_error) < 1e-12, 'tracking error: stddev_samp of the active returns x sqrt(365)')
from got as g, expected as e;
select ok(abs(g.information_ratio - e.information_ratio) < 1e-9, 'information ratio: mean / stddev_samp of the active returns x sqrt(365)')
from got as g, expected as e;
select ok(
    g.var_95_loss = round(-e.var_95::numeric * 10350, 8) and g.var_99_loss = round(-e.var_99::numeric * 10350, 8)
    and g.cvar_95_loss = round(-e.cvar_95::numeric * 10350, 8) and g.cvar_99_loss = round(-e.cvar_99::numeric * 10350, 8),
    'the losses: -VaR and -CVaR x the day''s NAV, 8 decimals'
) from got as g, expected as e;
select ok(g.var_95 < 0 and g.var_95_loss > 0, 'a VaR that is a loss is a positive currency loss') from got as g;
select ok(
    g.var_95 = x.var_95 and g.cvar_99 = x.cvar_99 and g.volatility = x.annual_volatility,
    'and the same as analytics.return_metrics of the fund''s returns, 365 periods a year'
)
from got as g
cross join lateral analytics.return_metrics(
    (select array_agg(daily_return order by snapshot_date) from fund.performance_snapshots
     where fund_id = (select risk from f) and daily_return is not null), null, 365
) as x;

-- Idempotent per day: a rerun replaces the row with the same figures.
select is(risk.write_fund_metrics('2026-10-08'), 1, 'a rerun of the day writes the one fund struck that day');
select results_eq(
    $$ select var_95, var_99, cvar_95, cvar_99, var_95_loss::numeric, beta, correlation, tracking_error, information_ratio
       from risk.metrics where fund_id = (select risk from f) and as_of = '2026-10-08' $$,
    $$ select var_95, var_99, cvar_95, cvar_99, var_95_loss::numeric, beta, correlation, tracking_error, information_ratio
       from got $$,
    'and replaces it with the same figures (still one row)'
);
select is(risk.record_fund_metrics('2026-09-15'), 0, 'a day without strikes writes nothing');
select is(risk.write_fund_metrics('2026-10-04', null, 3), 1, 'a shorter window (3 days)');
select is(
    (select observations from risk.metrics where fund_id = (select risk from f) and as_of = '2026-10-04'), 3,
    '3 observations (2 to 4 October)'
);
select is(risk.write_fund_metrics('2026-10-01'), 1, 'the first strike day: a row without returns');
select results_eq(
    $$ select observations, var_95, volatility, beta from risk.metrics
       where fund_id = (select risk from f) and as_of = '2026-10-01' $$,
    $$ values (0, null::double precision, null::double precision, null::double precision) $$,
    'no observation, no figure'
);
select throws_ok($$ select risk.record_fund_metrics((select d + 1 from today)) $$, '22023', null,
    'record_fund_metrics: no day after today');
select throws_ok($$ select risk.record_fund_metrics('2026-10-08', 1) $$, '22023', null,
    'record_fund_metrics: a window outside 2 to 3660 days');
select throws_ok(
    $$ insert into risk.metrics (account_id, fund_id, as_of, window_days, observations, equity)
       values ((select account_id from fund.funds where id = (select risk from f)), (select risk from f), '2026-10-02', 2, 0, 0) $$,
    '23514', null, 'a row is about one account or one fund (metrics_about_one_account_or_one_fund_ck)'
);
select throws_ok(
    $$ insert into risk.metrics (fund_id, as_of, window_days, observations, equity)
       values ((select risk from f), '2026-10-08', 2, 0, 0) $$,
    '23505', null, 'one row per fund and day (metrics_subject_day_uk)'
);
select is(
    risk.store_metrics('2026-09-20', 2, array[
        row(null, (select risk from f), 50, null, '{0.01}', null, null)::risk.metrics_input
    ])
    + risk.store_metrics('2026-09-20', 2, array[
        row(null, (select risk from f), 100, null, '{0.01, 0.02}', null, null)::risk.metrics_input
    ]),
    2, 'store_metrics: one row written for the subject handed over, each time'
);
select results_eq(
    $$ select observations, equity::numeric, window_days, beta from risk.metrics
       where fund_id = (select risk from f) and as_of = '2026-09-20' $$,
    $$ values (2, 100::numeric, 2, null::double precision) $$,
    'store_metrics: a rerun of the day replaces the row (one per subject and day), the figures from its series'
);
do $$ begin delete from risk.metrics where as_of = '2026-09-20'; end $$;
do $$ begin perform fund.lock_accounts(f) from fund.funds as f where f.id = (select risk from f); end $$;
select is(
    (select count(*)::integer from trading.accounts as a, fund.funds as f
     where f.id = (select risk from f) and a.id in (f.account_id, f.fee_account_id) and a.xmax = pg_current_xact_id()::xid),
    2, 'lock_accounts: the fund''s account and its fee account are locked by this transaction'
);

-- 5. What each user sees (the app login): an active fund's rows for everyone; its account's rows only for
--    the manager, who owns the account; api.risk_metrics holds accounts' rows only.
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select token from tokens where name = 'y')); end $$;
select is((select count(*)::integer from api.fund_risk_metrics where fund_id = (select risk from f)), 3,
    'Y, who does not hold the fund, sees its rows (its NAV history is public)');
select is(
    (select count(*)::integer from risk.metrics
     where account_id = (select account_id from api.funds where id = (select risk from f))), 0,
    'but not its account''s rows'
);
select is((select count(*)::integer from api.risk_metrics where account_id is null), 0,
    'api.risk_metrics holds accounts'' rows only');
do $$ begin perform api.authenticate((select token from tokens where name = 'm')); end $$;
select is(
    (select count(*)::integer from api.risk_metrics
     where account_id = (select account_id from api.funds where id = (select risk from f))), 1,
    'the manager sees the fund account''s row in api.risk_metrics'
);
select results_eq(
    $$ select nav::numeric, benchmark_symbol, observations from api.fund_risk_metrics
       where fund_id = (select risk from f) and as_of = '2026-10-08' $$,
    $$ values (10350::numeric, 'FABM'::text, 7) $$, 'api.fund_risk_metrics: the NAV, the benchmark, the figures'
);
-- Another manager can neither move the date nor change the status of M's fund.
do $$ begin perform api.authenticate((select token from tokens where name = 'n')); end $$;
select throws_ok($$ select api.set_fund_crystallization_date((select risk from f), (select d + 10 from today)) $$,
    '42501', null, 'set_fund_crystallization_date: another manager''s fund');
select throws_ok($$ select api.set_fund_status((select risk from f), 'paused') $$, '42501', null,
    'set_fund_status: another manager''s fund');
-- The manager does both through the app login.
do $$ begin perform api.authenticate((select token from tokens where name = 'm')); end $$;
select is((select status from api.set_fund_status((select dflt from f), 'paused')), 'paused',
    'the manager pauses a fund as the app login');
reset session authorization;

-- 6. The date moves while nothing has crystallized, investors in or not; not after a crystallization.
do $$ begin perform api.act_as((select m from u)); end $$;
select is(
    (select crystallization_date from api.set_fund_crystallization_date((select risk from f), (select d + 90 from today))),
    (select d + 90 from today), 'the Risk Fund has an investor and nothing crystallized: the date moves'
);
-- X redeems 1,000 shares at 1.035: the redemption crystallizes the performance fee on them.
do $$ begin
    perform api.act_as((select x from u));
    perform api.redeem((select risk from f), (select id from trading.accounts where name = 'FA X live'), 1000);
    perform api.act_as((select m from u));
    perform api.strike_nav((select risk from f), '2026-10-09 18:00+00');
end $$;
select is(
    (select fee::numeric from fund.flows where fund_id = (select risk from f) and kind = 'redemption'),
    7::numeric, 'the redemption paid (1.035 - 1.00) x 1,000 x 20 percent = 7'
);
select throws_ok($$ select api.set_fund_crystallization_date((select risk from f), (select d + 10 from today)) $$,
    'TB082', null, 'after a crystallization the date no longer moves');

-- 7. Pause, resume and close the Status Fund (2 percent management fee, 20 percent performance fee).
do $$ begin
    perform api.act_as((select x from u));
    perform api.subscribe((select status from f), (select id from trading.accounts where name = 'FA X live'), 1000);
    perform api.act_as((select y from u));
    perform api.deposit(api.create_account('FA Y live', 'live'), 5000);
    perform api.act_as((select m from u));
    perform api.strike_nav((select status from f), '2026-11-02 18:00+00');
end $$;
select results_eq(
    $$ select status, manager_id from api.set_fund_status((select status from f), 'paused') $$,
    $$ values ('paused'::text, (select m from u)) $$, 'the manager pauses the fund; the fund comes back (api.funds)'
);
select results_eq(
    $$ select detail ->> 'previous', detail ->> 'status' from audit.log
       where event = 'fund_status_set' and detail ->> 'fund_id' = (select status from f)::text $$,
    $$ values ('active'::text, 'paused'::text) $$, 'audited, naming the previous status'
);
select is((select status from api.set_fund_status((select status from f), 'paused')), 'paused',
    'setting the status it has changes nothing');
select is(
    (select count(*)::integer from audit.log where event = 'fund_status_set' and detail ->> 'fund_id' = (select status from f)::text),
    1, 'and writes no audit event'
);
do $$ begin perform api.act_as((select y from u)); end $$;
select throws_ok($$ select api.subscribe((select status from f), (select id from trading.accounts where name = 'FA Y live'), 1000) $$,
    '22023', null, 'a paused fund takes no new subscription');
do $$ begin perform api.act_as((select m from u)); end $$;
-- A crystallization due (the strike reached the date with shares in issue; the fee waits for cash).
update fund.funds set crystallization_date = '2026-11-02' where id = (select status from f);
select throws_ok($$ select api.set_fund_crystallization_date((select status from f), (select d + 10 from today)) $$,
    'TB082', null, 'a crystallization is due: the date no longer moves');
update fund.funds set crystallization_date = (select (d + interval '1 year')::date from today) where id = (select status from f);
select throws_ok($$ select api.set_fund_status((select status from f), 'closed') $$, 'TB081', null,
    'a fund with shares in issue does not close');
-- updated_at dates the fund's attributes, not its strikes (funds_touch_updated_at's column list).
update fund.funds set updated_at = '2026-01-01 00:00+00' where id = (select status from f);
-- X redeems everything; the paused fund is still struck and the redemption deals.
do $$ begin
    perform api.act_as((select x from u));
    perform api.redeem((select status from f), (select id from trading.accounts where name = 'FA X live'), 1000);
    perform api.act_as((select m from u));
end $$;
select results_eq(
    $$ select dealt, pending from api.strike_nav((select status from f), '2026-11-03 18:00+00') $$,
    $$ values (1, 0) $$, 'a paused fund is struck and its redemptions deal'
);
select is((select updated_at from fund.funds where id = (select status from f)), '2026-01-01 00:00+00'::timestamptz,
    'the strike (NAV per share, shares, fee, day) leaves updated_at');
-- No shares are left, but the account still trades: a position, then an open order, keep the fund open.
do $$ begin perform api.fund_trade((select status from f), 'FAX', 'buy', 0.0001); end $$;
select throws_ok($$ select api.set_fund_status((select status from f), 'closed') $$, 'TB081', null,
    'a fund holding a position does not close');
do $$ begin perform api.fund_trade((select status from f), 'FAX', 'sell', 0.0001); end $$;
create temporary table resting as
select id from api.fund_trade((select status from f), 'FAX', 'buy', 0.0001, 'limit', 1, null, 'gtc');
select is((select status::text from trading.orders where id = (select id from resting)), 'new', 'a resting order');
select throws_ok($$ select api.set_fund_status((select status from f), 'closed') $$, 'TB081', null,
    'a fund with an open order does not close');
do $$ begin perform api.cancel_order((select id from resting)); end $$;
select is((select status from api.set_fund_status((select status from f), 'active')), 'active', 'the manager resumes it');
select is((select updated_at from fund.funds where id = (select status from f)), now(), 'which dates the fund''s row');
do $$ begin
    perform api.act_as((select y from u));
    perform api.subscribe((select status from f), (select id from trading.accounts where name = 'FA Y live'), 1000, 'y-close');
    perform api.act_as((select m from u));
end $$;
select is((select cash::numeric from trading.accounts where name = 'FA Y live'), 4000::numeric,
    'Y''s subscription is pending, its cash held');
-- fund.return_subscription, directly: a second pending subscription refunded and closed.
do $$ begin
    perform api.act_as((select y from u));
    perform api.subscribe((select status from f), (select id from trading.accounts where name = 'FA Y live'), 500, 'y-direct');
    perform api.act_as((select m from u));
    perform fund.return_subscription(l, 'refused', 'a test''s reason', now()) from fund.flows as l
    where l.idempotency_key = 'y-direct';
end $$;
select results_eq(
    $$ select l.status, l.pending_reason, j.memo::text from fund.flows as l
       inner join trading.transactions as j on j.journal_id = l.refund_journal_id and j.account_id = l.account_id
       where l.idempotency_key = 'y-direct' $$,
    $$ values ('refused'::text, 'a test''s reason'::text, 'subscription ' || (select id from fund.flows where idempotency_key = 'y-direct')
               || ' refused: a test''s reason') $$,
    'return_subscription: the flow closes as told, with its reason, and the refund journal names it'
);
select is((select cash::numeric from trading.accounts where name = 'FA Y live'), 4000::numeric,
    'return_subscription: the held cash is back on Y''s account');
select ok((select accrued_management_fee > 0 from fund.funds where id = (select status from f)),
    'the fund has management fee accrued');
create temporary table before_close as
select cash as fund_cash, accrued_management_fee as accrued
from fund.funds as x inner join trading.accounts as a on x.account_id = a.id
where x.id = (select status from f);
select results_eq(
    $$ select status from api.set_fund_status((select status from f), 'closed') $$,
    $$ values ('closed'::text) $$, 'the empty fund closes'
);
select results_eq(
    $$ select status, pending_reason, refund_journal_id is not null from fund.flows where idempotency_key = 'y-close' $$,
    $$ values ('canceled'::text, 'the fund closed'::text, true) $$, 'its pending subscription is canceled'
);
select is((select cash::numeric from trading.accounts where name = 'FA Y live'), 5000::numeric, 'and Y''s cash is back');
select is(
    (select count(*)::integer from notify.events where user_id = (select y from u) and data ->> 'event' = 'fund_closed'), 1,
    'Y is told'
);
select results_eq(
    $$ select x.accrued_management_fee::numeric, x.management_fee_unpaid_since
       from fund.funds as x where x.id = (select status from f) $$,
    $$ values (0::numeric, null::date) $$, 'the accrued management fee is settled: nothing stays accrued'
);
select results_eq(
    $$ select a.amount::numeric, a.accrual_date = x.last_strike_date, a.journal_id is not null
       from fund.fee_accruals as a inner join fund.funds as x on a.fund_id = x.id
       where x.id = (select status from f) and a.kind = 'management' and a.paid_at >= (select closed_at from fund.flows where idempotency_key = 'y-close') $$,
    $$ select least(accrued, fund_cash)::numeric, true, true from before_close $$,
    'what the close paid is one payment row, settling the days up to the last strike'
);
select is(
    (select (detail ->> 'management_fee_paid')::numeric + (detail ->> 'management_fee_written_off')::numeric
     from audit.log where event = 'fund_status_set' and detail ->> 'status' = 'closed'),
    (select accrued::numeric from before_close),
    'paid from the fund''s cash, the rounding it does not cover written off (audited)'
);
select is(
    (select (detail ->> 'management_fee_paid')::numeric from audit.log where event = 'fund_status_set' and detail ->> 'status' = 'closed'),
    (select least(accrued, fund_cash)::numeric from before_close), 'as much as the cash covers is paid'
);
select throws_ok($$ select api.set_fund_status((select status from f), 'active') $$, 'TB080', null,
    'a closed fund never becomes active again');
select throws_ok($$ select api.set_fund_status((select status from f), 'paused') $$, 'TB080', null,
    'nor paused');
select is((select status from api.set_fund_status((select status from f), 'closed')), 'closed',
    'closing a closed fund changes nothing');
do $$ begin perform api.act_as((select y from u)); end $$;
select throws_ok($$ select api.subscribe((select status from f), (select id from trading.accounts where name = 'FA Y live'), 1000) $$,
    '22023', null, 'a closed fund takes no subscription');
do $$ begin perform api.act_as((select m from u)); end $$;
select throws_ok($$ select api.set_fund_crystallization_date((select status from f), (select d + 10 from today)) $$,
    '22023', null, 'a closed fund''s date does not move');
select throws_ok($$ select api.strike_nav((select status from f)) $$, '22023', null, 'a closed fund is not struck');
select throws_ok($$ select api.set_fund_status((select risk from f), 'frozen') $$, '22023', null, 'an unknown status');
select throws_ok($$ select api.set_fund_status((select risk from f), null) $$, '22023', null, 'a null status');
select throws_ok($$ select api.set_fund_status(null, 'paused') $$, '22023', null, 'a null fund');
select throws_ok($$ select api.set_fund_status(gen_random_uuid(), 'paused') $$, 'P0002', null, 'an unknown fund');

-- 8. The job's fund step covers a paused fund too, and the invariants hold.
select is((select status from api.set_fund_status((select risk from f), 'paused')), 'paused', 'the Risk Fund pauses');
select is(risk.record_fund_metrics('2026-10-09'), 1, 'a paused fund struck that day gets its row');
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select token from tokens where name = 'y')); end $$;
select is((select count(*)::integer from api.fund_risk_metrics where fund_id = (select risk from f)), 0,
    'Y no longer sees a paused fund''s rows');
do $$ begin perform api.authenticate((select token from tokens where name = 'x')); end $$;
select is((select count(*)::integer from api.fund_risk_metrics where fund_id = (select risk from f)), 4,
    'X, who holds it, still does');
reset session authorization;
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold');

-- 9. fund.managed_fund, the one check of the manager's calls: the manager gets the row; an unknown fund is P0002;
-- another user is 42501 with a hint naming what only the manager does, unless an administrator may act (this
-- session is one).
create function pg_temp.hint_of(p_sql text) returns text language plpgsql as $$
declare v_hint text;
begin
    execute p_sql;
    return null;
exception when others then
    get stacked diagnostics v_hint = pg_exception_hint;
    return v_hint;
end $$;
do $$ begin perform api.act_as((select m from u)); end $$;
select is((select id from fund.managed_fund((select risk from f), false, 'trades its account')), (select risk from f),
    'managed_fund: the manager gets the fund''s row');
select throws_ok($$ select fund.managed_fund(gen_random_uuid(), true, 'strikes its NAV') $$, 'P0002', null,
    'managed_fund: an unknown fund');
do $$ begin perform api.act_as((select y from u)); end $$;
select throws_ok($$ select fund.managed_fund((select risk from f), false, 'trades its account') $$, '42501',
    format('fund %s is managed by another user', (select risk from f)), 'managed_fund: another user''s fund');
select is(pg_temp.hint_of(format('select fund.managed_fund(%L, false, %L)', (select risk from f), 'trades its account')),
    'Only the fund''s manager trades its account.', 'managed_fund: the hint says what only the manager does');
select is((select id from fund.managed_fund((select risk from f), true, 'strikes its NAV')), (select risk from f),
    'managed_fund: an administrator acts where the call allows one');
do $$ begin perform api.act_as((select m from u)); end $$;

select * from finish();
rollback;
