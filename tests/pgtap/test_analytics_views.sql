-- The analysts' views (issue 15 §4, docs/analytics.md "Analysts' views") on a small book built by hand
-- through the api: every figure below is worked out in the comments. analytics.portfolio_summary
-- before and after api.refresh_analytics (twice: the same rows; then again after a deposit), the
-- refresh_analytics job, analytics.daily_equity against analytics.account_daily_returns, and who may
-- refresh. The analyst's access through a real login: tests/python/test_analytics_access.py.
begin;
select plan(32);

create temporary table acct (name text primary key, user_id uuid, id uuid);
create function pg_temp.acct(p_name text) returns uuid language sql as $f$ select id from acct where name = p_name $f$;
create function pg_temp.usr(p_name text) returns uuid language sql as $f$
    select user_id from acct where name = p_name
$f$;

insert into auth.users (email, username) values ('views-a@example.com', 'views_a'), ('views-b@example.com', 'views_b');
insert into acct
select u.username, u.id, a.id
from auth.users as u inner join trading.accounts as a on u.id = a.user_id and a.is_default
where u.username in ('views_a', 'views_b');

-- Securities: VWA (stock, USD), VWB (etf, USD), VWE (stock, EUR); 1 EUR = 1.1 USD, later 1.2.
do $$ begin
    perform api.upsert_security('VWA', 'Views A Inc', 'stock');
    perform api.upsert_security('VWB', 'Views B Fund', 'etf');
    perform api.upsert_security('VWE', 'Views E AG', 'stock', null, 'EUR');
end $$;
insert into market.fx_rates (base_currency, quote_currency, as_of, rate) values ('EUR', 'USD', now() - interval '1 hour', 1.1);

-- Both default paper accounts: 100,000 USD, commission-free, no slippage, FIFO.
-- views_a: buys 10 VWA at 100 and 20 VWB at 50; sells 4 VWA at 110 (closed trade +40) and 5 VWB at 45
--   (closed trade -25); an order for 1,000,000 VWA is rejected; VWA ends at 120, VWB at 40.
--   cash 100,000 - 1,000 - 1,000 + 440 + 225 = 98,665; VWA 6 units cost 600 value 720 (+120, +20 %);
--   VWB 15 units cost 750 value 600 (-150, -20 %); equity 98,665 + 1,320 = 99,985; net deposits 100,000;
--   total return -15 = realized 15 + unrealized -30; -0.015 % of net deposits.
-- views_b: buys 10 VWE at 20 EUR at 1.1 (cost 220 USD); the rate then moves to 1.2: value 240, +20.
--   cash 99,780, equity 100,020, total return +20 (0.02 %).
do $$ begin
    perform api.act_as(pg_temp.usr('views_a'));
    perform api.record_price('VWA', 100);
    perform api.record_price('VWB', 50);
    perform api.execute_paper_trade(pg_temp.acct('views_a'), 'VWA', 'buy', 10);
    perform api.execute_paper_trade(pg_temp.acct('views_a'), 'VWB', 'buy', 20);
    perform api.execute_paper_trade(pg_temp.acct('views_a'), 'VWA', 'buy', 1000000);
    perform api.record_price('VWA', 110);
    perform api.execute_paper_trade(pg_temp.acct('views_a'), 'VWA', 'sell', 4);
    perform api.record_price('VWB', 45);
    perform api.execute_paper_trade(pg_temp.acct('views_a'), 'VWB', 'sell', 5);
    perform api.record_price('VWA', 120);
    perform api.record_price('VWB', 40);
    perform api.act_as(pg_temp.usr('views_b'));
    perform api.record_price('VWE', 20);
    perform api.execute_paper_trade(pg_temp.acct('views_b'), 'VWE', 'buy', 10);
end $$;
insert into market.fx_rates (base_currency, quote_currency, as_of, rate) values ('EUR', 'USD', clock_timestamp(), 1.2);

-- 1. positions_valued: every open position, across users.
select results_eq(
    $$ select user_id, symbol, asset_type, currency::text, quantity::numeric, cost_basis::numeric, avg_cost, price::numeric,
              fx_rate, market_value, unrealized_pnl, unrealized_return_pct
       from analytics.positions_valued where user_id in (select user_id from acct) order by symbol $$,
    $$ values
       (pg_temp.usr('views_a'), 'VWA'::text, 'stock'::text, 'USD'::text, 6::numeric, 600::numeric, 100::numeric,
        120::numeric, 1::numeric, 720::numeric, 120::numeric, 20::numeric),
       (pg_temp.usr('views_a'), 'VWB', 'etf', 'USD', 15, 750, 50, 40, 1, 600, -150, -20),
       (pg_temp.usr('views_b'), 'VWE', 'stock', 'USD', 10, 220, 22, 20, 1.2, 240, 20, 9.0909) $$,
    'positions_valued: quantity, cost, price, FX rate, value and unrealized P&L of each open position'
);

-- 2. top_holdings: the seeds' top performing investments, best unrealized return first.
select results_eq(
    $$ select user_id, holding_rank, symbol, unrealized_return_pct from analytics.top_holdings
       where user_id in (select user_id from acct) order by user_id = pg_temp.usr('views_b'), holding_rank $$,
    $$ values (pg_temp.usr('views_a'), 1::bigint, 'VWA'::text, 20::numeric), (pg_temp.usr('views_a'), 2, 'VWB', -20),
              (pg_temp.usr('views_b'), 1, 'VWE', 9.0909) $$,
    'top_holdings ranks each user''s holdings by unrealized return'
);

-- 3. portfolio_summary: nothing until it is refreshed (it was built when the book was empty).
select is_empty(
    $$ select * from analytics.portfolio_summary where user_id in (select user_id from acct) $$,
    'portfolio_summary holds what the last refresh saw'
);
select lives_ok($$ select api.refresh_analytics() $$, 'an operator refreshes the analytics');
create temporary table first_refresh as select * from analytics.portfolio_summary where user_id in (select user_id from acct);
select results_eq(
    $$ select user_id, account_kind::text, currency::text, accounts, open_positions, unpriced_positions, cash,
              positions_value, equity, cost_basis, unrealized_pnl, realized_pnl, net_deposits, total_return,
              total_return_pct
       from first_refresh order by user_id = pg_temp.usr('views_b') $$,
    $$ values
       (pg_temp.usr('views_a'), 'paper'::text, 'USD'::text, 1, 2, 0, 98665::numeric, 1320::numeric, 99985::numeric,
        1350::numeric, -30::numeric, 15::numeric, 100000::numeric, -15::numeric, -0.0150::numeric),
       (pg_temp.usr('views_b'), 'paper', 'USD', 1, 1, 0, 99780, 240, 100020, 220, 20, 0, 100000, 20, 0.0200) $$,
    'portfolio_summary after the refresh: cash, value, equity, P&L, net deposits and total return per user'
);
select lives_ok($$ select api.refresh_analytics() $$, 'a second refresh');
select set_eq(
    $$ select * from analytics.portfolio_summary where user_id in (select user_id from acct) $$,
    $$ select * from first_refresh $$,
    'a second refresh of the same book gives the same rows'
);
select is(
    (select count(*) from analytics.portfolio_summary),
    (select count(distinct (user_id, kind, base_currency)) from trading.accounts where kind <> 'system' and status <> 'archived'),
    'one row per user, account kind and currency'
);

-- A deposit of 1,000 to views_a: cash, equity and net deposits move by 1,000; the return does not.
do $$ begin
    perform api.act_as(pg_temp.usr('views_a'));
    perform api.deposit(pg_temp.acct('views_a'), 1000);
end $$;
select is(
    (select cash from analytics.portfolio_summary where user_id = pg_temp.usr('views_a')), 98665::numeric,
    'the deposit is not seen before the next refresh'
);
-- (Run apart from the comparison: results_eq keeps both cursors open, and a view in use cannot be refreshed.)
delete from ops.job_runs where job_name = 'refresh_analytics';
create temporary table job_run as select * from ops.run_job('refresh_analytics', now());
select results_eq(
    $$ select status, result from job_run $$,
    $$ select 'succeeded'::text, count(*) from analytics.portfolio_summary $$,
    'the refresh_analytics job refreshes and returns the number of rows'
);
select results_eq(
    $$ select cash, equity, net_deposits, total_return from analytics.portfolio_summary
       where user_id = pg_temp.usr('views_a') $$,
    $$ values (99665::numeric, 100985::numeric, 101000::numeric, -15::numeric) $$,
    'after the job: the deposit is in cash, equity and net deposits, not in the total return'
);

-- 4. trade_stats: views_a's closed trades are the two sales (+40 and -25).
select results_eq(
    $$ select fills, buys, sells, orders_filled, securities_traded, traded_notional::numeric, commission::numeric,
              closed_trades, winning_trades, losing_trades, win_rate_pct, gross_profit, gross_loss, profit_factor,
              average_win, average_loss, realized_pnl
       from analytics.trade_stats where account_id = pg_temp.acct('views_a') $$,
    $$ values (4, 2, 2, 4, 2, 2665::numeric, 0::numeric, 2, 1, 1, 50::numeric, 40::numeric, 25::numeric, 1.6::numeric,
               40::numeric, 25::numeric, 15::numeric) $$,
    'trade_stats: fills, notional, closed trades, win rate, profit factor, average win and loss'
);
select results_eq(
    $$ select closed_trades, win_rate_pct, profit_factor, gross_loss from analytics.trade_stats
       where account_id = pg_temp.acct('views_b') $$,
    $$ values (0, null::numeric, null::numeric, 0::numeric) $$,
    'no closed trades: win rate and profit factor are NULL'
);

-- 5. order_flow: today's orders per symbol, side and type.
select results_eq(
    $$ select symbol, side::text, order_type::text, source::text, orders, accounts, filled_orders, rejected_orders,
              orders_with_fills, quantity::numeric, filled_quantity::numeric, filled_value
       from analytics.order_flow where symbol like 'VW_' and order_date = (now() at time zone 'UTC')::date
       order by symbol, side $$,
    $$ values
       ('VWA'::text, 'buy'::text, 'market'::text, 'manual'::text, 2, 1, 1, 1, 1, 1000010::numeric, 10::numeric,
        1000::numeric),
       ('VWA', 'sell', 'market', 'manual', 1, 1, 1, 0, 1, 4, 4, 440),
       ('VWB', 'buy', 'market', 'manual', 1, 1, 1, 0, 1, 20, 20, 1000),
       ('VWB', 'sell', 'market', 'manual', 1, 1, 1, 0, 1, 5, 5, 225),
       ('VWE', 'buy', 'market', 'manual', 1, 1, 1, 0, 1, 10, 10, 200) $$,
    'order_flow: orders, outcomes, quantities and filled value (security currency) per day, symbol and side'
);

-- 6. exposure: by account kind, asset type and currency, in that currency.
select results_eq(
    $$ select asset_type, currency, positions, accounts, users, unpriced_positions, long_value, short_value,
              gross_value, net_value
       from analytics.exposure where account_kind = 'paper' order by asset_type, currency $$,
    $$ values ('etf'::text, 'USD'::text, 1, 1, 1, 0, 600::numeric, 0::numeric, 600::numeric, 600::numeric),
              ('stock', 'EUR', 1, 1, 1, 0, 200, 0, 200, 200),
              ('stock', 'USD', 1, 1, 1, 0, 720, 0, 720, 720) $$,
    'exposure: long, short, gross and net value per asset type and currency'
);

-- 7. daily_equity: three past days of views_b by hand, then today's snapshot of every account.
--   day -3: equity 1,000, flow +1,000 (no posting before the day): start 1,000, return 0
--   day -2: equity 1,100, no flow: start 1,000 + 0 = 1,000, return 1,100 / 1,000 - 1 = 0.1
--   day -1: equity 1,650, flow +500: start 1,100 + 500 = 1,600, return 1,650 / 1,600 - 1 = 0.03125
insert into trading.account_snapshots (account_id, snapshot_date, cash, positions_value, equity, net_flow) values
(pg_temp.acct('views_b'), current_date - 3, 1000, 0, 1000, 1000),
(pg_temp.acct('views_b'), current_date - 2, 1100, 0, 1100, 0),
(pg_temp.acct('views_b'), current_date - 1, 1650, 0, 1650, 500);
select results_eq(
    $$ select snapshot_date, equity::numeric, net_flow::numeric, start_value, round(daily_return::numeric, 12)
       from analytics.daily_equity where account_id = pg_temp.acct('views_b') order by snapshot_date $$,
    $$ values (current_date - 3, 1000::numeric, 1000::numeric, 1000::numeric, 0::numeric),
              (current_date - 2, 1100, 0, 1000, 0.1),
              (current_date - 1, 1650, 500, 1600, 0.03125) $$,
    'daily_equity: equity, flow, start value and the flow-adjusted return of each day'
);
select ok(api.snapshot_accounts(current_date) >= 2, 'today''s snapshots');
select results_eq(
    $$ select d.snapshot_date, d.equity::numeric, d.net_flow::numeric, d.start_value, d.daily_return
       from analytics.daily_equity as d where d.account_id = pg_temp.acct('views_b') order by 1 $$,
    $$ select snapshot_date, equity, net_flow, start_value, daily_return
       from analytics.account_daily_returns(pg_temp.acct('views_b'), current_date - 3, current_date) $$,
    'daily_equity agrees with analytics.account_daily_returns, day by day'
);
select results_eq(
    $$ select d.snapshot_date, d.equity::numeric, d.net_flow::numeric, d.start_value, d.daily_return
       from analytics.daily_equity as d where d.account_id = pg_temp.acct('views_a') order by 1 $$,
    $$ select snapshot_date, equity, net_flow, start_value, daily_return
       from analytics.account_daily_returns(pg_temp.acct('views_a'), current_date - 3, current_date) $$,
    'and for an account whose first snapshot is today'
);
select results_eq(
    $$ select user_id, account_kind::text, currency::text from analytics.daily_equity
       where account_id = pg_temp.acct('views_a') $$,
    $$ values (pg_temp.usr('views_a'), 'paper'::text, 'USD'::text) $$,
    'daily_equity names the user by id, the account kind and currency'
);

-- 8. Who may refresh: operators (and the owner) only; analysts and apps may read, not refresh.
select lives_ok($$ select ops.job_refresh_analytics(null, null) $$, 'the job function refreshes as the owner');
set local role tradebase_analyst;
select throws_ok($$ select api.refresh_analytics() $$, '42501', null, 'an analyst may not refresh');
select lives_ok($$ select count(*) from analytics.portfolio_summary $$, 'an analyst reads the summary');
select throws_ok($$ select count(*) from trading.positions $$, '42501', null, 'an analyst may not read trading');
reset role;
set local role tradebase_app;
select throws_ok($$ select api.refresh_analytics() $$, '42501', null, 'an app may not refresh');
select throws_ok($$ select count(*) from analytics.positions_valued $$, '42501', null, 'an app may not read analytics');
reset role;
set local role tradebase_admin;
select lives_ok($$ select api.refresh_analytics() $$, 'an operator may refresh');
reset role;

-- 9. Every analytics relation has a comment, and the catalog lints hold.
select is_empty(
    $$ select c.relname from pg_class as c
       where c.relnamespace = 'analytics'::regnamespace and c.relkind in ('v', 'm') and obj_description(c.oid) is null $$,
    'every analytics view has a comment'
);
select is_empty($$ select * from ops.catalog_lint() $$, 'the catalog lints hold');
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold');

-- 10. One holder never fails the refresh for everyone (§5): 5 x 10^10 HUGE bought at 0.01 XAU (1 XAU =
--     10^6 USD), split 1,000,000-for-1 (5 x 10^16 units), then a tick at 10^9: 5 x 10^31 USD, beyond the
--     numeric(38, 8) the totals were cast to (22003 for everyone before). Its row holds the true figure.
insert into market.fx_rates (base_currency, quote_currency, as_of, rate)
values ('XAU', 'USD', now() - interval '1 day', 1000000);
do $$
declare
    v_user uuid;
begin
    insert into auth.users (email, username) values ('views-huge@example.com', 'views_huge') returning id into v_user;
    perform api.act_as(v_user);
    insert into acct values ('views_huge', v_user,
        api.create_account('huge', 'paper', null, 1000000000000000, 'USD', null));
    perform api.upsert_security('HUGE', 'Huge', 'stock', null, 'XAU', true);
    perform api.record_price('HUGE', 0.01, now() - interval '1 hour');
    perform api.execute_paper_trade(pg_temp.acct('views_huge'), 'HUGE', 'buy', 50000000000);
    perform api.apply_split('HUGE', 1000000, 1, current_date);
    perform api.record_price('HUGE', 1000000000, now());
end $$;
select lives_ok($$ select api.refresh_analytics() $$, 'a holder worth 5 x 10^31 USD does not fail the refresh');
select results_eq(
    $$ select u.name, s.positions_value
       from analytics.portfolio_summary as s inner join acct as u on s.user_id = u.user_id
       where s.account_kind = 'paper' and u.name in ('views_a', 'views_huge') order by u.name $$,
    $$ values ('views_a', (select s.positions_value from analytics.portfolio_summary as s
                           where s.user_id = (select user_id from acct where name = 'views_a')
                           and s.account_kind = 'paper')),
              ('views_huge', 50000000000000000000000000000000.00000000::numeric) $$,
    'the others are summed, and the holder''s row holds its 5 x 10^31'
);

select * from finish();
rollback;
