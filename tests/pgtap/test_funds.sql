-- Pooled funds (issue 17, docs/funds.md): the seeded types; api.set_kyc_status; api.create_fund, api.subscribe,
-- api.redeem, api.cancel_fund_flow, api.strike_nav, api.fund_nav, api.fund_positions, api.fund_trade and
-- api.set_fund_strategy with their documented errors; no withdrawal or transfer touches a fund account; the
-- strike_funds job; and three scenarios computed by hand (below). The session is a superuser, so every
-- "another user's" 42501 that administrators pass is proven as the app login in tests/python/test_funds.py.
begin;
select plan(136);
-- The strikes below replay days long past: each request is dated just after its fund's last strike
-- (tests/sql/helpers.sql), as if made between two strikes.
do $$ begin perform tests.replay_fund_requests(); end $$;

insert into auth.users (email, username, role) values
('fund-m@example.com', 'fund_m', 'fund_manager'),
('fund-x@example.com', 'fund_x', 'investor'),
('fund-y@example.com', 'fund_y', 'investor'),
('fund-z@example.com', 'fund_z', 'investor'),
('fund-big@example.com', 'fund_big', 'investor'),
('fund-t@example.com', 'fund_t', 'trader');
create temporary table u as
select
    (select id from auth.users where username = 'fund_m') as m,
    (select id from auth.users where username = 'fund_x') as x,
    (select id from auth.users where username = 'fund_y') as y,
    (select id from auth.users where username = 'fund_z') as z,
    (select id from auth.users where username = 'fund_big') as big,
    (select id from auth.users where username = 'fund_t') as t;
do $$ begin perform api.upsert_security('FNDX', 'Fund test', 'stock'); end $$;
do $$ begin perform api.record_price('FNDX', 100, '2026-01-05 12:00+00'); end $$;

-- 1. The seeded types (seed 000).
select results_eq(
    $$ select name, min_investment::numeric, max_investment::numeric, management_fee_rate::numeric,
              performance_fee_rate::numeric from fund.fund_types order by min_investment $$,
    $$ values ('mini'::text, 1000::numeric, 10000::numeric, 0.02::numeric, 0.20::numeric),
              ('standard', 10000, 100000, 0.015, 0.15), ('premium', 100000, 1000000, 0.01, 0.10) $$,
    'three fund types with their ranges and highest fees'
);

-- 2. KYC decisions: administrators only (the app login's 42501 in test_funds.py), audited.
select lives_ok($$ select api.set_kyc_status((select x from u), 'verified') $$, 'an administrator verifies X');
select results_eq(
    $$ select kyc_status, kyc_verified_at is not null from auth.users where id = (select x from u) $$,
    $$ values ('verified'::text, true) $$, 'the status and when it was verified'
);
select is(
    (select detail ->> 'previous' from audit.log where event = 'kyc_status_set' and acting_user_id = (select x from u)),
    'pending', 'the decision is an audit event naming the previous status'
);
select throws_ok($$ select api.set_kyc_status((select x from u), 'maybe') $$, '22023', null, 'an unknown status');
select throws_ok($$ select api.set_kyc_status(gen_random_uuid(), 'verified') $$, 'P0002', null, 'an unknown user');
do $$ begin
    perform api.set_kyc_status((select y from u), 'verified');
    perform api.set_kyc_status((select big from u), 'verified');
    perform api.set_kyc_status((select z from u), 'rejected');
end $$;

-- 3. api.create_fund.
select lives_ok($$ select api.act_as((select t from u)) $$, 'act as a trader');
select throws_ok($$ select api.create_fund('Trader Fund', 'mini') $$, '42501', null, 'only fund managers open funds');
select lives_ok($$ select api.act_as((select m from u)) $$, 'act as the manager');
select throws_ok($$ select api.create_fund('Bad', 'hedge') $$, 'P0002', null, 'an unknown type');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, 500) $$, '22023', null,
    'a minimum below the type''s');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, 20000) $$, '22023', null,
    'a maximum above the type''s');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, 5000, 2000) $$, '22023', null,
    'a maximum below the minimum');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, null, null, 0.03) $$, '22023', null,
    'a management fee above the type''s');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, null, null, null, 0.25) $$, '22023', null,
    'a performance fee above the type''s');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, null, 0) $$, '22023', null,
    'max investors below 1');
select throws_ok($$ select api.create_fund(' ', 'mini') $$, '22023', null, 'a blank name');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, null, null, null, null, 'reckless') $$, '22023',
    null, 'an unknown risk level');
select throws_ok($$ select api.create_fund('Bad', 'mini', null, null, null, null, null, null, 'medium', 'NOPE') $$,
    'P0002', null, 'an unknown benchmark');
insert into market.benchmarks (symbol, name) values ('FNDBM', 'Fund test benchmark');
create temporary table bm as
select api.create_fund('Benchmarked Fund', 'standard', null, null, null, null, null, null, 'low', 'FNDBM') as id;
select is(
    (select a.benchmark_id = b.id and f.benchmark_id = b.id
     from fund.funds as f inner join trading.accounts as a on f.account_id = a.id
     inner join market.benchmarks as b on b.symbol = 'FNDBM'
     where f.id = (select id from bm)),
    true, 'a benchmark is the fund''s and its account''s (risk.metrics of the fund account compare with it)'
);
update fund.funds set status = 'closed' where name = 'Benchmarked Fund';
create temporary table f as
select
    api.create_fund('Lot Fund', 'mini', 'Per-lot fees', null, null, 2, 0) as lot,
    api.create_fund('Flat Fund', 'premium', 'The 2 percent scenario') as flat;
select throws_ok($$ select api.create_fund('lot fund', 'mini') $$, '22023', null, 'a fund name is taken');
select results_eq(
    $$ select f.fund_type, f.management_fee_rate::numeric, f.performance_fee_rate::numeric, f.min_investment::numeric,
              f.max_investment::numeric, f.max_investors, f.status, f.nav_per_share, f.shares_outstanding::numeric,
              a.kind::text, a.user_id = f.manager_id, e.kind::text, e.user_id = f.manager_id,
              f.crystallization_date = make_date(date_part('year', now() at time zone 'UTC')::integer, 12, 31)
       from fund.funds as f
       inner join trading.accounts as a on f.account_id = a.id
       inner join trading.accounts as e on f.fee_account_id = e.id
       where f.id = (select lot from f) $$,
    $$ values ('mini'::text, 0::numeric, 0.2::numeric, 1000::numeric, 10000::numeric, 2, 'active'::text,
               1::numeric, 0::numeric, 'fund'::text, true, 'live'::text, true, true) $$,
    'the fund: the type''s range and performance fee, no management fee, its own fund account and a live fee account of the manager''s, crystallizing on 31 December'
);
select results_eq(
    $$ select * from api.fund_nav((select lot from f)) $$,
    $$ select (select lot from f), null::date, 0::numeric, 0::numeric, 0::numeric, 0::numeric, 0::numeric, 0::numeric,
              0::numeric, 1::numeric, null::integer, 0 $$,
    'api.fund_nav before the first strike: nothing invested, 1 per share'
);
select throws_ok($$ select api.fund_nav(gen_random_uuid()) $$, 'P0002', null, 'api.fund_nav: an unknown fund');

-- 4. Strategy allocations: at most 100 percent.
select lives_ok($$ select api.set_fund_strategy((select lot from f), 'Momentum', 60) $$, 'a 60 percent allocation');
select lives_ok($$ select api.set_fund_strategy((select lot from f), 'Value', 40, 'Cheap stocks') $$, 'and 40');
select throws_ok($$ select api.set_fund_strategy((select lot from f), 'Carry', 0.01) $$, '23514', null,
    'allocations never sum above 100 percent');
select throws_ok($$ insert into fund.fund_strategies (fund_id, name, allocation_pct) values ((select lot from f), 'Direct', 1) $$,
    '23514', null, 'not even written directly (the trigger, under the fund row''s lock)');
select lives_ok($$ select api.set_fund_strategy((select lot from f), 'Value', 0) $$, '0 removes an allocation');
select is((select sum(allocation_pct) from api.fund_strategies where fund_id = (select lot from f)), 60.00,
    'api.fund_strategies shows what is left');
select throws_ok($$ select api.set_fund_strategy((select lot from f), 'Value', 101) $$, '22023', null,
    'an allocation above 100');
select throws_ok($$ select api.set_fund_strategy(gen_random_uuid(), 'Value', 1) $$, 'P0002', null, 'an unknown fund');

-- 5. No withdrawal, transfer, deposit or manual order touches a fund account, not even the manager's own.
select throws_ok($$ select api.withdraw((select account_id from fund.funds where id = (select lot from f)), 1) $$,
    '42501', null, 'no withdrawal from a fund account');
select throws_ok(
    $$ select api.transfer_cash((select account_id from fund.funds where id = (select lot from f)),
                                (select fee_account_id from fund.funds where id = (select lot from f)), 1) $$,
    '42501', null, 'no transfer out of a fund account'
);
select throws_ok(
    $$ select api.transfer_cash((select fee_account_id from fund.funds where id = (select lot from f)),
                                (select account_id from fund.funds where id = (select lot from f)), 1) $$,
    '42501', null, 'nor into one'
);
select throws_ok($$ select api.deposit((select account_id from fund.funds where id = (select lot from f)), 1) $$,
    '42501', null, 'no deposit into a fund account: cash comes in as dealt subscriptions');
select throws_ok(
    $$ select api.execute_paper_trade((select account_id from fund.funds where id = (select lot from f)), 'FNDX', 'buy', 1) $$,
    '42501', null, 'a fund account takes no manual order, not even its manager''s: only api.fund_trade'
);

-- 6. Subscriptions: the investor's live account, KYC, limits, investors, idempotency, cash held from the request.
select lives_ok($$ select api.act_as((select x from u)) $$, 'act as X');
create temporary table acc as
select
    api.create_account('X live', 'live') as x_live,
    (select id from trading.accounts where user_id = (select x from u) and kind = 'paper') as x_paper;
do $$ begin perform api.deposit((select x_live from acc), 20000); end $$;
select throws_ok($$ select api.subscribe((select lot from f), (select x_paper from acc), 1000) $$, 'TB047', null,
    'paper cash never enters a fund');
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), 500) $$, '22023', null,
    'below the fund''s minimum');
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), 10000.01) $$, '22023', null,
    'above its maximum');
select throws_ok($$ select api.subscribe(gen_random_uuid(), (select x_live from acc), 1000) $$, 'P0002', null,
    'an unknown fund');
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), -1) $$, '22023', null,
    'a negative amount');
update fund.funds set status = 'paused' where id = (select lot from f);
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), 1000) $$, '22023', null,
    'a paused fund takes no subscriptions');
update fund.funds set status = 'active' where id = (select lot from f);
create temporary table fl as
select (api.subscribe((select lot from f), (select x_live from acc), 10000, 'x-1')).id as x_sub;
select is((select cash::numeric from trading.accounts where id = (select x_live from acc)), 10000::numeric,
    'the subscription''s cash leaves the investor''s account at request time');
select is(
    (select sum(amount) from trading.transactions
     where account_id = (select id from trading.accounts where system_purpose = 'fund_subscriptions')),
    10000::numeric, 'into the fund_subscriptions system account'
);
select results_eq(
    $$ select status, kind, amount::numeric, shares::numeric from api.fund_flows where id = (select x_sub from fl) $$,
    $$ values ('pending'::text, 'subscription'::text, 10000::numeric, null::numeric) $$, 'a pending request'
);
select is((api.subscribe((select lot from f), (select x_live from acc), 10000, 'x-1')).id, (select x_sub from fl),
    'a retry with the same key returns the first request');
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), 9000, 'x-1') $$, 'TB042', null,
    'the same key with other arguments');
select is(
    fund.prior_flow((select lot from f), (select user_id from fund.flows where id = (select x_sub from fl)), 'x-2', '{}'),
    null, 'fund.prior_flow: a new key has no prior flow'
);
select is(
    fund.prior_flow((select lot from f), (select user_id from fund.flows where id = (select x_sub from fl)), null, '{}'),
    null, 'fund.prior_flow: nor has a request without a key'
);
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc), 1000) $$, '22023', null,
    'pending subscriptions count towards the maximum');
select lives_ok($$ select api.act_as((select z from u)) $$, 'act as Z (KYC rejected)');
insert into acc (x_live) select api.create_account('Z live', 'live');
do $$ begin perform api.deposit((select x_live from acc where x_paper is null), 5000); end $$;
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc where x_paper is null), 1000) $$,
    '42501', null, 'only KYC-verified investors subscribe');
select lives_ok($$ select api.act_as((select y from u)) $$, 'act as Y');
create temporary table yacc as select api.create_account('Y live', 'live') as y_live;
do $$ begin perform api.deposit((select y_live from yacc), 30000); end $$;
select throws_ok($$ select api.subscribe((select lot from f), (select y_live from yacc), 50000) $$, '22023', null,
    'TB040 is not reached above the maximum (the limit first)');
-- Y's request to cancel, then Y's real one (after the fall, below).
create temporary table c as select (api.subscribe((select lot from f), (select y_live from yacc), 2000)).id as flow;
select is((select status from api.cancel_fund_flow((select flow from c))), 'canceled', 'a pending request is canceled');
select is((select cash::numeric from trading.accounts where id = (select y_live from yacc)), 30000::numeric,
    'and its cash is back');
select throws_ok($$ select api.cancel_fund_flow((select flow from c)) $$, '22023', null, 'only pending requests cancel');
select throws_ok($$ select api.cancel_fund_flow(gen_random_uuid()) $$, 'P0002', null, 'an unknown flow');
select lives_ok($$ select api.act_as((select z from u)) $$, 'act as Z');
do $$ begin perform api.set_kyc_status((select z from u), 'verified'); end $$;
-- Z's subscription to the Lot Fund would make a third investor: X is pending, Y is about to be.
do $$ begin perform api.act_as((select y from u)); perform api.subscribe((select lot from f), (select y_live from yacc), 9000, 'y-1'); end $$;
do $$ begin perform api.act_as((select z from u)); end $$;
select throws_ok($$ select api.subscribe((select lot from f), (select x_live from acc where x_paper is null), 1000) $$,
    '22023', null, 'max investors holds: a third investor is refused');

-- 7. Scenario 2, by hand (no management fee, performance fee 20 %):
--    day 1: X's 10,000 deal at 1.00 (10,000 shares, HWM 1.00); the manager buys 100 FNDX at 100 (cash 0).
--    day 2: FNDX 90: NAV 9,000, 0.90 per share; X's lot (HWM 1.00) accrues nothing. Y's 9,000 deal at 0.90
--           (10,000 shares, HWM 0.90). The manager buys 100 more at 90 (cash 0, 200 FNDX).
--    day 3: FNDX 100; the manager sells 100 (cash 10,000). NAV 20,000, 20,000 shares: 1.00. It crystallizes:
--           Y pays (1.00 - 0.90) x 10,000 x 20 % = 200 by cancelling 200 shares, HWM 1.00; X pays nothing.
-- Y's request above was made before the day-1 strike, so it deals at day 1: cancel it and ask again after it.
do $$ begin perform api.act_as((select y from u)); perform api.cancel_fund_flow(
    (select id from fund.flows where idempotency_key = 'y-1')); end $$;
select lives_ok($$ select api.act_as((select m from u)) $$, 'act as the manager');
select results_eq(
    $$ select nav::numeric, shares_outstanding::numeric, nav_per_share::numeric, dealt, pending
       from api.strike_nav((select lot from f), '2026-01-05 18:00+00') $$,
    $$ values (0::numeric, 0::numeric, 1::numeric, 1, 0) $$, 'day 1: the first strike is at 1.00 and deals X'
);
select results_eq(
    $$ select l.shares::numeric, l.high_water_mark, w.nav_per_share from fund.lots as l
       inner join fund.flows as w on l.flow_id = w.id where w.id = (select x_sub from fl) $$,
    $$ values (10000::numeric, 1::numeric, 1::numeric) $$, 'X''s lot: 10,000 shares, its mark at its dealing price'
);
select throws_ok($$ select api.strike_nav((select lot from f), '2026-01-04 18:00+00') $$, '22023', null,
    'no strike for a day before the last one');
select throws_ok($$ select api.strike_nav((select lot from f), now() + interval '30 days') $$, '22023', null,
    'no strike ahead of the clock');
select throws_ok($$ select api.strike_nav(gen_random_uuid()) $$, 'P0002', null, 'api.strike_nav: an unknown fund');
create temporary table o as
select * from api.fund_trade((select lot from f), 'FNDX', 'buy', 100);
select results_eq(
    $$ select status::text, placed_by::text, source::text, cause_id = (select lot from f), account_id = (select account_id from fund.funds where id = (select lot from f))
       from o $$,
    $$ values ('filled'::text, 'fund_manager'::text, 'fund'::text, true, true) $$,
    'api.fund_trade: placed through the one path by the fund_manager actor, source fund, the fund as cause'
);
select is(app.current_actor(), 'support', 'and the caller''s own context is back afterwards');
select throws_ok($$ select api.fund_trade(gen_random_uuid(), 'FNDX', 'buy', 1) $$, 'P0002', null,
    'api.fund_trade: an unknown fund');
select throws_ok($$ select api.fund_trade((select lot from f), 'FNDX', 'hold', 1) $$, '22023', null,
    'api.fund_trade: a malformed order');
do $$ begin perform api.record_price('FNDX', 90, '2026-01-06 12:00+00'); end $$;
do $$ begin perform api.act_as((select y from u)); perform api.subscribe((select lot from f), (select y_live from yacc), 9000); end $$;
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, accrued_performance_fee::numeric, dealt
       from api.strike_nav((select lot from f), '2026-01-06 18:00+00') $$,
    $$ values (9000::numeric, 0.9::numeric, 0::numeric, 1) $$,
    'day 2: NAV 9,000 at 0.90; X''s lot is below its mark and accrues nothing; Y deals'
);
select results_eq(
    $$ select shares::numeric, high_water_mark from fund.lots where user_id = (select y from u) $$,
    $$ values (10000::numeric, 0.9::numeric) $$, 'Y''s lot: 10,000 shares marked at 0.90'
);
do $$ begin perform api.fund_trade((select lot from f), 'FNDX', 'buy', 100); end $$;
do $$ begin perform api.record_price('FNDX', 100, '2026-01-07 12:00+00'); end $$;
do $$ begin perform api.fund_trade((select lot from f), 'FNDX', 'sell', 100); end $$;
update fund.funds set crystallization_date = '2026-01-07' where id = (select lot from f);
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, accrued_performance_fee::numeric
       from api.strike_nav((select lot from f), '2026-01-07 18:00+00') $$,
    $$ values (20000::numeric, 1::numeric, 200::numeric) $$, 'day 3: back to 1.00; Y''s lot has accrued 200'
);
select results_eq(
    $$ select l.user_id = (select y from u), a.amount::numeric, a.shares_cancelled::numeric
       from fund.fee_accruals as a inner join fund.lots as l on a.lot_id = l.id
       where a.fund_id = (select lot from f) and a.kind = 'performance' $$,
    $$ values (true, 200::numeric, 200::numeric) $$, 'it crystallized: Y pays 200 by 200 cancelled shares, X nothing'
);
select results_eq(
    $$ select u.username, l.shares::numeric, l.high_water_mark, l.accrued_performance_fee::numeric
       from api.fund_lots as l inner join auth.users as u on l.user_id = u.id where l.fund_id = (select lot from f)
       order by u.username $$,
    $$ values ('fund_x'::text, 10000::numeric, 1::numeric, 0::numeric), ('fund_y', 9800, 1, 0) $$,
    'both marks at 1.00; Y holds 9,800'
);
select is((select cash::numeric from trading.accounts where id = (select fee_account_id from fund.funds where id = (select lot from f))),
    200::numeric, 'the manager''s fee account got 200');
select results_eq(
    $$ select shares_outstanding::numeric, crystallization_date from fund.funds where id = (select lot from f) $$,
    $$ values (19800::numeric, '2027-01-07'::date) $$, 'shares outstanding 19,800; the next crystallization a year on'
);

-- 8. Scenario 3, a mid-year redemption settles only the redeemed shares' fee:
--    day 4: FNDX 119.80: NAV 9,800 + 100 x 119.80 = 21,780 over 19,800 shares = 1.10. X redeems 5,000:
--           gross 5,500, fee (1.10 - 1.00) x 5,000 x 20 % = 100, X receives 5,400; X's other 5,000 shares keep
--           their mark (1.00) and accrue 100; Y's lot accrues 9,800 x 0.10 x 20 % = 196 and pays nothing.
do $$ begin perform api.record_price('FNDX', 119.80, '2026-01-08 12:00+00'); end $$;
do $$ begin perform api.act_as((select x from u)); end $$;
select throws_ok($$ select api.redeem((select lot from f), (select x_live from acc where x_paper is not null), 10000.5) $$,
    '22023', null, 'no more shares than held');
select throws_ok($$ select api.redeem((select lot from f), (select x_paper from acc where x_paper is not null), 1) $$,
    'TB047', null, 'redemptions pay live accounts');
select throws_ok($$ select api.redeem(gen_random_uuid(), (select x_live from acc where x_paper is not null), 1) $$,
    'P0002', null, 'an unknown fund');
insert into fl (x_sub) select (api.redeem((select lot from f), (select x_live from acc where x_paper is not null), 5000, 'x-r')).id;
select throws_ok($$ select api.redeem((select lot from f), (select x_live from acc where x_paper is not null), 5000.5) $$,
    '22023', null, 'pending redemptions count against what is held');
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, dealt from api.strike_nav((select lot from f), '2026-01-08 18:00+00') $$,
    $$ values (21780::numeric, 1.1::numeric, 1) $$, 'day 4: 1.10 per share'
);
select results_eq(
    $$ select status, shares::numeric, amount::numeric, fee::numeric from api.fund_flows where idempotency_key = 'x-r' $$,
    $$ values ('dealt'::text, 5000::numeric, 5400::numeric, 100::numeric) $$, 'X receives 5,400; the fee is 100'
);
select results_eq(
    $$ select u.username, l.shares::numeric, l.high_water_mark, l.accrued_performance_fee::numeric
       from api.fund_lots as l inner join auth.users as u on l.user_id = u.id where l.fund_id = (select lot from f)
       order by u.username $$,
    $$ values ('fund_x'::text, 5000::numeric, 1::numeric, 100::numeric), ('fund_y', 9800, 1, 196) $$,
    'only the redeemed shares'' fee settled: X''s other shares and Y''s lot keep accruing'
);
select is((select cash::numeric from trading.accounts where id = (select fee_account_id from fund.funds where id = (select lot from f))),
    300::numeric, 'the manager has 300 in all');
select results_eq(
    $$ select dealt, nav::numeric from api.strike_nav((select lot from f), '2026-01-08 20:00+00') $$,
    $$ values (0, 21780::numeric) $$, 'a second strike of the day returns the first one''s figures'
);
select is((select count(*)::integer from fund.performance_snapshots where fund_id = (select lot from f)), 4,
    'and writes nothing');

-- 9. A redemption the fund's free cash cannot cover waits, with a reason, and the manager is told.
--    Y redeems 9,800 x 1.10 = 10,780; the fund has 4,300 cash. After the manager sells, it deals: fee 196.
do $$ begin perform api.act_as((select y from u)); perform api.redeem((select lot from f), (select y_live from yacc), 9800, 'y-r'); end $$;
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select nav_per_share::numeric, dealt, pending from api.strike_nav((select lot from f), '2026-01-09 18:00+00') $$,
    $$ values (1.1::numeric, 0, 1) $$, 'day 5: the redemption stays pending'
);
select matches((select pending_reason from api.fund_flows where idempotency_key = 'y-r'), 'free cash \(4300\.00000000\) does not cover 10780',
    'with the reason');
select ok(exists(select from notify.events where user_id = (select m from u) and data ->> 'event' = 'fund_redemption_pending'),
    'the manager is notified');
do $$ begin perform api.fund_trade((select lot from f), 'FNDX', 'sell', 100); end $$;
select results_eq(
    $$ select dealt, pending from api.strike_nav((select lot from f), '2026-01-10 18:00+00') $$,
    $$ values (1, 0) $$, 'day 6: it deals'
);
select results_eq(
    $$ select status, amount::numeric, fee::numeric from api.fund_flows where idempotency_key = 'y-r' $$,
    $$ values ('dealt'::text, 10584::numeric, 196::numeric) $$, 'Y receives 10,780 - 196'
);
select is((select count(*)::integer from api.fund_positions((select lot from f))), 0, 'api.fund_positions: no open position');
select throws_ok($$ select * from api.fund_positions(gen_random_uuid()) $$, 'P0002', null, 'api.fund_positions: an unknown fund');
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold after the scenarios');

-- 10. Scenario 1, by hand: 10,000,000 at 2 % a year over 365 flat days, accrued daily on the NAV net of what
--     has accrued: NAV(t) = NAV(t-1) - round(NAV(t-1) x 0.02 / 365, 8), so NAV(365) = 9,801,981.36192124
--     (10,000,000 x (1 - 0.02/365)^365 = 9,801,981.3619211829 before rounding each day) and 198,018.63807876
--     of fees; NAV per share 0.9801981362. The management fee is paid at each month end. (No seeded type takes
--     a 10,000,000 ticket at 2 %: the fund moves to a type made for the scenario, since a fund's terms lie
--     inside its type's, which the premium type's 1 % and 1,000,000 refuse.)
select throws_ok(
    $$ update fund.funds set management_fee_rate = 0.02, max_investment = 10000000 where id = (select flat from f) $$,
    '23514',
    format('fund %s''s terms (fees 0.02000000 and 0.10000000, investments 100000.00000000 to 10000000.00000000) lie '
        'outside its type premium''s (fees at most 0.01000000 and 0.10000000, investments 100000.00000000 to '
        '1000000.00000000)', (select flat from f)),
    'a fund''s terms stay inside its type''s (23514, funds_within_type)'
);
select is(
    array(
        select fund.terms_inside_type(x, t) from fund.funds as x cross join fund.fund_types as t
        where x.id = (select flat from f) and t.name in ('premium', 'standard') order by t.name
    ),
    array[true, false], 'terms_inside_type: the premium fund''s terms lie inside premium''s, not inside standard''s'
);
insert into fund.fund_types (name, description, min_investment, max_investment, management_fee_rate, performance_fee_rate)
values ('scenario_one', 'Scenario 1: one 10,000,000 ticket at 2 %.', 100000, 10000000, 0.02, 0.1);
update fund.funds set fund_type = 'scenario_one', management_fee_rate = 0.02, max_investment = 10000000
where id = (select flat from f);
select throws_ok(
    $$ update fund.fund_types set max_investment = 5000000 where name = 'scenario_one' $$,
    '23514',
    format('fund type scenario_one''s new terms (fees at most 0.02000000 and 0.10000000, investments 100000.00000000 '
        'to 5000000.00000000) leave out fund %s', (select flat from f)),
    'a type''s terms cover its funds (23514, fund_types_cover_funds)'
);
do $$ begin perform api.act_as((select big from u)); end $$;
create temporary table bacc as select api.create_account('Big live', 'live') as b;
do $$ begin perform api.deposit((select b from bacc), 10000000); end $$;
do $$ begin perform api.subscribe((select flat from f), (select b from bacc), 10000000); end $$;
do $$
begin
    perform api.act_as((select m from u));
    for d in 0 .. 365 loop
        perform api.strike_nav((select flat from f), '2025-01-01 18:00+00'::timestamptz + d * interval '1 day');
    end loop;
end
$$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, shares_outstanding::numeric from api.fund_nav((select flat from f)) $$,
    $$ values (9801981.36192124::numeric, 0.9801981362::numeric, 10000000::numeric) $$,
    '365 days later: NAV 9,801,981.36192124, 0.9801981362 per share'
);
select is(
    (select sum(management_fee) from fund.performance_snapshots where fund_id = (select flat from f)),
    198018.63807876::numeric, 'fees of 198,018.63807876 accrued, each day''s on its snapshot'
);
select results_eq(
    $$ select accrual_date, amount::numeric, journal_id is not null from fund.fee_accruals
       where fund_id = (select flat from f) and kind = 'management' order by accrual_date $$,
    $$ select (m + interval '1 month - 1 day')::date, sum(s.management_fee)::numeric, true
       from generate_series('2025-01-01'::date, '2025-12-01', interval '1 month') as m
       inner join fund.performance_snapshots as s
           on s.fund_id = (select flat from f) and date_trunc('month', s.snapshot_date) = m
       group by m order by m $$,
    'paid at each of the twelve month ends: one payment each, of its month''s fees'
);
select results_eq(
    $$ select accrued_management_fee::numeric, management_fee_unpaid_since from fund.funds where id = (select flat from f) $$,
    $$ select management_fee::numeric, snapshot_date from fund.performance_snapshots
       where fund_id = (select flat from f) and snapshot_date = '2026-01-01' $$,
    'what stays accrued is 2026-01-01''s fee, unpaid since that day'
);
select is(
    (select cash::numeric from trading.accounts where id = (select fee_account_id from fund.funds where id = (select flat from f)))
    + (select accrued_management_fee::numeric from fund.funds where id = (select flat from f)),
    198018.63807876::numeric, 'paid and still accrued (2026-01-01''s day) make up the fees'
);
select is(
    (select max(abs(s.nav_per_share - (p.nav_per_share - s.management_fee / s.shares_outstanding)))
     from fund.performance_snapshots as s
     inner join fund.performance_snapshots as p on p.fund_id = s.fund_id and p.snapshot_date = s.snapshot_date - 1
     where s.fund_id = (select flat from f)) <= 0.0000000001,
    true, 'each day NAV per share falls by exactly the day''s fee per share (to its 10 decimals)'
);
select is(
    (select max(accrued_performance_fee) from api.fund_lots where fund_id = (select flat from f)), 0::numeric,
    'a lot below its mark accrues no performance fee'
);

-- 11. The strike_funds job: every active fund not yet struck for the day that ended, as fund_manager.
reset role;
do $$ begin perform app.set_context(null, null, null); end $$;
select results_eq(
    $$ select status, result from ops.run_job('strike_funds', '2026-01-12 00:30+00') $$,
    $$ values ('succeeded'::text, 2::bigint) $$, 'both funds are struck for 2026-01-11'
);
select results_eq(
    $$ select count(*)::integer from fund.performance_snapshots where snapshot_date = '2026-01-11' $$,
    $$ values (2) $$, 'a snapshot each'
);
select is(
    (select count(*)::integer from audit.log where actor = 'fund_manager' and table_name is null and event = 'job_run'),
    1, 'the run is audited under the fund_manager actor'
);
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold');

-- 12. analytics.fund_performance: the Lot Fund after seven strikes, X still in, 200 + 100 + 196 of fees.
select results_eq(
    $$ select strikes, investors, performance_fees_paid::numeric, management_fees_paid::numeric, pending_flows,
              nav_per_share, cumulative_return = 0.1
       from analytics.fund_performance where fund_id = (select lot from f) $$,
    $$ values (7::bigint, 1::bigint, 496::numeric, 0::numeric, 0::bigint, 1.1::numeric, true) $$,
    'analytics.fund_performance: strikes, investors, fees paid, the last NAV per share and its return'
);

-- 13. The snapshots' statistics from running accumulators (fund.next_return_stats): every snapshot this
-- file struck has the volatility, Sharpe ratio and max drawdown that analytics.return_metrics gives over the
-- fund's daily returns up to it (to 1e-9 relative), a fund's first snapshot none; folding the function over
-- a series with a constant run, a loss, a recovery and a new peak gives return_metrics' figures at each step.
create temporary table series as
select u.i::integer, u.r
from unnest(array[0.01, 0.01, 0.01, -0.2, 0.05, 0.3, -0.05, 0.0, 1.5, -0.9]::double precision []) with ordinality as u (r, i);
create temporary table folded as
with recursive s as (
    select 0 as i, n.*
    from fund.next_return_stats(0, null, null, null, null, null, null, null, null, null) as n
    union all
    select x.i, n.*
    from s
    inner join series as x on s.i + 1 = x.i
    cross join lateral fund.next_return_stats(
        s.return_count, s.return_sum, s.return_sxx, s.return_min, s.return_max, s.log_wealth, s.log_peak,
        s.log_floor, s.log_drawdown, x.r
    ) as n
)
select * from s;
select is_empty(
    $$ select f.i from folded as f
       cross join lateral analytics.return_metrics(
           (select coalesce(array_agg(x.r order by x.i), '{}') from series as x where x.i <= f.i), null, 252
       ) as m
       where f.volatility is distinct from m.annual_volatility or f.sharpe_ratio is distinct from m.sharpe_ratio
           or f.max_drawdown is distinct from m.max_drawdown $$,
    'fund.next_return_stats folded over a series is analytics.return_metrics at every step'
);
select results_eq(
    $$ select n.return_count, n.return_sum, n.log_drawdown, n.volatility
       from folded as f
       cross join lateral fund.next_return_stats(
           f.return_count, f.return_sum, f.return_sxx, f.return_min, f.return_max, f.log_wealth, f.log_peak,
           f.log_floor, f.log_drawdown, null
       ) as n
       where f.i = 10 $$,
    $$ select f.return_count, f.return_sum, f.log_drawdown, f.volatility from folded as f where f.i = 10 $$,
    'no return (a first strike) leaves the accumulators as they were'
);
select is_empty(
    $$ select s.fund_id, s.snapshot_date
       from fund.performance_snapshots as s
       cross join lateral analytics.return_metrics(
           (select coalesce(array_agg(h.daily_return order by h.snapshot_date), '{}')
            from fund.performance_snapshots as h
            where h.fund_id = s.fund_id and h.snapshot_date <= s.snapshot_date and h.daily_return is not null),
           null, 252
       ) as m
       where not (
           coalesce(abs(s.volatility - m.annual_volatility) <= 1e-9 * abs(m.annual_volatility), s.volatility is null and m.annual_volatility is null)
           and coalesce(abs(s.sharpe_ratio - m.sharpe_ratio) <= 1e-9 * abs(m.sharpe_ratio), s.sharpe_ratio is null and m.sharpe_ratio is null)
           and coalesce(abs(s.max_drawdown - m.max_drawdown) <= 1e-9 * abs(m.max_drawdown), s.max_drawdown is null and m.max_drawdown is null)
           and s.return_count = m.observations
       ) $$,
    'every snapshot struck here has return_metrics'' volatility, Sharpe and max drawdown over its returns so far'
);
select is_empty(
    $$ select s.fund_id from fund.performance_snapshots as s
       where s.snapshot_date = (select min(h.snapshot_date) from fund.performance_snapshots as h where h.fund_id = s.fund_id)
           and not (s.return_count = 0 and s.daily_return is null and num_nulls(s.volatility, s.sharpe_ratio, s.max_drawdown) = 3) $$,
    'a fund''s first snapshot has no return and no statistics'
);

-- 14. The management fee's month end not struck: the flat fund, last struck on 2026-01-11 with its fees
-- unpaid since 2026-01-01, is left out of the quiet strike on 2026-02-03 (its oldest unpaid day lies in an
-- earlier month) and fund.strike pays all of them at once. The fund_fees invariant sees an accrued fee its
-- snapshots do not hold, and a wrong day for the oldest one.
select results_eq(
    $$ select status, result from ops.run_job('strike_funds', '2026-02-04 00:30+00') $$,
    $$ values ('succeeded'::text, 2::bigint) $$, 'the job strikes both funds for 2026-02-03'
);
select results_eq(
    $$ select a.amount::numeric, a.journal_id is not null from fund.fee_accruals as a
       where a.fund_id = (select flat from f) and a.kind = 'management' and a.accrual_date >= '2026-01-01' $$,
    $$ select sum(management_fee)::numeric, true from fund.performance_snapshots
       where fund_id = (select flat from f) and snapshot_date >= '2026-01-01' $$,
    'the fees of 2026-01-01, 2026-01-11 and 2026-02-03 are paid at once, at the first strike of February'
);
select results_eq(
    $$ select accrued_management_fee::numeric, management_fee_unpaid_since from fund.funds where id = (select flat from f) $$,
    $$ values (0::numeric, null::date) $$, 'nothing stays accrued'
);
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold');
update fund.funds set accrued_management_fee = 0.00000001, management_fee_unpaid_since = '2026-02-03'
where id = (select flat from f);
select results_eq(
    $$ select invariant from ops.verify_invariants() $$, $$ values ('fund_fees'::text) $$,
    'fund_fees: an accrued fee that the snapshots since the last payment do not hold shows'
);
update fund.funds set accrued_management_fee = 0, management_fee_unpaid_since = null where id = (select flat from f);
update fund.performance_snapshots set management_fee = management_fee + 0.00000001,
    accrued_management_fee = accrued_management_fee + 0.00000001, nav = nav - 0.00000001
where fund_id = (select flat from f) and snapshot_date = '2026-02-03';
select results_eq(
    $$ select invariant from ops.verify_invariants() $$, $$ values ('fund_fees'::text) $$,
    'fund_fees: a settled day''s fee that the payments do not add up to shows'
);

-- 15. fund.lot_performance_fee (a lot's fee, not stored): the rate on the gain above the mark, to 8 decimals,
-- nothing at or below it; api.fund_lots writes the same formula out at each fund's last NAV per share.
select is(fund.lot_performance_fee(1.1, 1, 5000, 0.2)::numeric, 100::numeric, 'lot_performance_fee: (1.10 - 1.00) x 5,000 x 20 % = 100');
select is(fund.lot_performance_fee(0.9, 1, 5000, 0.2)::numeric, 0::numeric, 'lot_performance_fee: nothing below the mark');
select is_empty(
    $$ select l.id from api.fund_lots as l inner join fund.funds as x on l.fund_id = x.id
       where l.accrued_performance_fee
           <> fund.lot_performance_fee(x.nav_per_share, l.high_water_mark, l.shares, x.performance_fee_rate) $$,
    'api.fund_lots: every lot''s fee is fund.lot_performance_fee at its fund''s last NAV per share'
);

-- 15b. fund.holding_value (both strikes' valuation of a holding): quantity x price in the fund's currency,
-- converted at the newest rate by the time when the security's is another, to 8 decimals.
insert into market.fx_rates (base_currency, quote_currency, as_of, rate) values ('CHF', 'USD', '2026-01-01', 1.123456789);
select is(
    array[fund.holding_value(3, 2.5, 'USD', 'USD', '2026-01-02'), fund.holding_value(2, 10, 'CHF', 'USD', '2026-01-02')],
    array[7.5, 22.4691358]::numeric [],
    'holding_value: 3 x 2.5 in the fund''s currency; 2 x 10 CHF at 1.12345679 (the rate to 8 decimals) = 22.4691358 USD'
);
select throws_ok($$ select fund.holding_value(1, 1, 'CHF', 'USD', '2025-12-31') $$, 'P0002',
    null, 'holding_value: no rate by then (market.convert''s P0002)');

-- 16. fund.management_fee_due: paid at the month's last day, or in a later month than the oldest unpaid day;
-- fund.pay_management_fee: a fund_fee journal from the fund account to its fee account and one payment row.
select is(
    array[fund.management_fee_due('2026-01-31', '2026-01-05'), fund.management_fee_due('2026-02-03', '2026-01-05'),
        fund.management_fee_due('2026-02-03', '2026-02-01'), fund.management_fee_due('2026-02-03', null),
        fund.management_fee_due('2026-02-28', null)],
    array[true, true, false, false, true],
    'management_fee_due: the month end, or a later month than the oldest unpaid day; not before'
);
create temporary table paid as
select fund.pay_management_fee(x, 1.25, '2026-02-10', 'a test payment', '2026-02-04 00:00+00') as journal
from fund.funds as x where x.id = (select flat from f);
select results_eq(
    $$ select t.account_id, t.amount::numeric from trading.transactions as t where t.journal_id = (select journal from paid)
       order by t.amount $$,
    $$ select x.account_id, -1.25 from fund.funds as x where x.id = (select flat from f)
       union all
       select x.fee_account_id, 1.25 from fund.funds as x where x.id = (select flat from f) $$,
    'pay_management_fee: the fee leaves the fund account for its manager''s fee account in one journal'
);
select results_eq(
    $$ select kind, accrual_date, amount::numeric, paid_at from fund.fee_accruals where journal_id = (select journal from paid) $$,
    $$ values ('management'::text, '2026-02-10'::date, 1.25::numeric, '2026-02-04 00:00+00'::timestamptz) $$,
    'pay_management_fee: one payment row settling the days through the given one'
);

-- 17. Forward pricing: a request deals at the first strike valued after it (p_as_of), never at prices known
-- when it was made. X asks for two subscriptions to the Lot Fund, at 2026-02-04 20:00 and 2026-02-05 19:00:
-- the strike of 2026-02-04 (valued at 18:00) deals neither, that of 2026-02-05 the first only, that of
-- 2026-02-06 the second.
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table late as
select
    (api.subscribe((select lot from f), (select x_live from acc where x_paper is not null), 1000)).id as first,
    (api.subscribe((select lot from f), (select x_live from acc where x_paper is not null), 1500)).id as second;
update fund.flows set requested_at = '2026-02-04 20:00+00' where id = (select first from late);
update fund.flows set requested_at = '2026-02-05 19:00+00' where id = (select second from late);
do $$ begin perform api.act_as((select m from u)); end $$;
select is((select dealt from api.strike_nav((select lot from f), '2026-02-04 18:00+00')), 0,
    'the strike valued before both requests deals neither');
select is((select dealt from api.strike_nav((select lot from f), '2026-02-05 18:00+00')), 1,
    'the strike valued after the first request deals it alone');
select is(
    (select shares::numeric from fund.flows where id = (select first from late)),
    (select round(1000 / nav_per_share, 10)::numeric from fund.performance_snapshots
     where fund_id = (select lot from f) and snapshot_date = '2026-02-05'),
    'at that strike''s NAV per share'
);
select results_eq(
    $$ select id, status, strike_date from fund.flows where id in (select first from late union all select second from late)
       order by requested_at $$,
    $$ values ((select first from late), 'dealt'::text, '2026-02-05'::date), ((select second from late), 'pending', null) $$,
    'the second waits for the next strike'
);
select is((select dealt from api.strike_nav((select lot from f), '2026-02-06 18:00+00')), 1,
    'the strike valued after the second request deals it');
select is((select strike_date from fund.flows where id = (select second from late)), '2026-02-06'::date,
    'at 2026-02-06''s NAV per share');

select * from finish();
rollback;
