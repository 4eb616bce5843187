-- The fund guards no other file proves (docs/funds.md), each with figures computed by hand:
-- 1. api.fund_navs: the NAV history after two strikes, every column, as the app login; an active fund's rows
--    for everyone, a paused fund's for its manager and its investors only;
-- 2. the documented 42501s of the fund api, each with its exact message, as the app login (tb_test_app) with
--    the users' own session tokens (a superuser would pass as an administrator): api.subscribe and api.redeem
--    with another user's account, api.cancel_fund_flow of another user's flow, api.strike_nav, api.fund_trade
--    and api.set_fund_strategy on another manager's fund, api.set_kyc_status by users who are not
--    administrators; then, as the owner, that the refused calls changed nothing;
-- 3. ops.verify_invariants() shown failing, each corruption restored after: fund_fees' core clause (fees paid =
--    the fund account's fund_fee postings = what the manager's fee account received in them) and fund_nav's
--    clause that the fund_subscriptions account holds exactly the pending subscriptions' cash;
-- 4. fund.strike_quiet: on quiet funds it writes what fund.strike writes (a twin struck by fund.strike, and a
--    cash-only fund by hand), returns how many funds it struck, and leaves out a fund with a pending request
--    until that request is gone.
-- Every fund is a mini one (2 % management fee, ACT/365 on the NAV net of what has accrued; 20 % performance
-- fee). X subscribes 1,000 to each of four funds of M's, dealt at 1.00 at the strike of 5 Jan:
--    Guard (G), Navs (P) and its twin (Q) buy 5 FGX at 100 (500 cash left); Cash (R) holds its 1,000 cash.
--    6 Jan: FGX 119. P, Q and G: 500 + 5 x 119 = 1,095; fee 1,095 x 2 % / 365 = 0.06; NAV 1,094.94 over 1,000
--           shares = 1.09494; the lot's performance fee (1.09494 - 1) x 1,000 x 20 % = 18.988. X redeems 100
--           shares of G: 100 x 1.09494 = 109.494, of which the fee (0.09494 x 100 x 20 % = 1.8988) goes to
--           the manager and 107.5952 to X. R: 1,000 cash; fee 1,000 x 2 % / 365 = 0.05479452 (to 8 decimals).
--    Then X asks to subscribe 2,000 more to G (pending: G is not quiet on 7 Jan).
-- The session is a superuser acting as the users (api.act_as) outside section 2.
begin;
select plan(40);
-- The strikes below replay days long past: each request is dated just after its fund's last strike
-- (tests/sql/helpers.sql), as if made between two strikes.
do $$ begin perform tests.replay_fund_requests(); end $$;

-- Every user logs in (section 2): M and N manage funds, X invests, Y is an investor not yet KYC-verified.
do $$ begin
    perform api.register_user('fg-m@example.com', 'fg_m', 'fund guards pass 1');
    perform api.register_user('fg-n@example.com', 'fg_n', 'fund guards pass 1');
    perform api.register_user('fg-x@example.com', 'fg_x', 'fund guards pass 1');
    perform api.register_user('fg-y@example.com', 'fg_y', 'fund guards pass 1');
end $$;
update auth.users set role = 'fund_manager' where username in ('fg_m', 'fg_n');
create temporary table u as
select
    (select id from auth.users where username = 'fg_m') as m,
    (select id from auth.users where username = 'fg_n') as n,
    (select id from auth.users where username = 'fg_x') as x,
    (select id from auth.users where username = 'fg_y') as y;
create temporary table tokens as
select
    api.login('fg_m', 'fund guards pass 1') as m,
    api.login('fg_n', 'fund guards pass 1') as n,
    api.login('fg_x', 'fund guards pass 1') as x,
    api.login('fg_y', 'fund guards pass 1') as y;
do $$ begin
    perform api.set_kyc_status((select x from u), 'verified');
    perform api.upsert_security('FGX', 'Fund guards test', 'stock');
    perform api.record_price('FGX', 100, '2026-01-05 12:00+00');
    perform api.act_as((select m from u));
end $$;
create temporary table f as
select
    api.create_fund('Guard Fund', 'mini') as g,
    api.create_fund('Navs Fund', 'mini') as p,
    api.create_fund('Navs Twin Fund', 'mini') as q,
    api.create_fund('Cash Fund', 'mini') as r;
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table acc as select api.create_account('FG X live', 'live') as x;
do $$ begin
    perform api.deposit((select x from acc), 10000);
    perform api.subscribe((select g from f), (select x from acc), 1000);
    perform api.subscribe((select p from f), (select x from acc), 1000);
    perform api.subscribe((select q from f), (select x from acc), 1000);
    perform api.subscribe((select r from f), (select x from acc), 1000);
    perform api.act_as((select m from u));
    perform api.strike_nav((select g from f), '2026-01-05 18:00+00');
    perform api.strike_nav((select p from f), '2026-01-05 18:00+00');
    perform api.strike_nav((select q from f), '2026-01-05 18:00+00');
    perform api.strike_nav((select r from f), '2026-01-05 18:00+00');
    perform api.fund_trade((select g from f), 'FGX', 'buy', 5);
    perform api.fund_trade((select p from f), 'FGX', 'buy', 5);
    perform api.fund_trade((select q from f), 'FGX', 'buy', 5);
    perform api.record_price('FGX', 119, '2026-01-06 12:00+00');
    perform api.act_as((select x from u));
    perform api.redeem((select g from f), (select x from acc), 100);
    perform api.act_as((select m from u));
    perform api.strike_nav((select q from f), '2026-01-06 18:00+00');
    perform api.strike_nav((select r from f), '2026-01-06 18:00+00');
end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, accrued_management_fee::numeric, accrued_performance_fee::numeric, dealt
       from api.strike_nav((select g from f), '2026-01-06 18:00+00') $$,
    $$ values (1094.94::numeric, 1.09494::numeric, 0.06::numeric, 18.988::numeric, 1) $$,
    'set-up, 6 Jan: G at 500 + 5 x 119 - 0.06 = 1,094.94 over 1,000 shares; X''s redemption deals'
);
select results_eq(
    $$ select l.status, l.shares::numeric, l.amount::numeric, l.fee::numeric, x.cash::numeric
       from fund.flows as l inner join trading.accounts as x on l.account_id = x.id
       where l.fund_id = (select g from f) and l.kind = 'redemption' $$,
    $$ values ('dealt'::text, 100::numeric, 107.5952::numeric, 1.8988::numeric, 6107.5952::numeric) $$,
    'set-up: X receives 109.494 - 1.8988 = 107.5952 (its account: 10,000 - 4 x 1,000 + 107.5952)'
);
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table fl as select (api.subscribe((select g from f), (select x from acc), 2000)).id as pending;
do $$ begin perform api.act_as((select m from u)); end $$;
grant select on u, tokens, f, acc, fl to public;

-- 1. api.fund_navs after two strikes of P, every column (the first strike, before any share, is at 1.00
--    with nothing invested: the subscription deals after it; the second has one return, so no volatility
--    nor Sharpe ratio yet, and no drawdown). Y, who holds nothing, reads it through the app login.
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, dealt from api.strike_nav((select p from f), '2026-01-06 18:00+00') $$,
    $$ values (1094.94::numeric, 1.09494::numeric, 0) $$, 'set-up, 6 Jan: P struck at 1.09494'
);
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select y from tokens)); end $$;
select results_eq(
    $$ select fund_id, snapshot_date, as_of, total_assets::numeric, accrued_management_fee::numeric,
              management_fee::numeric, accrued_performance_fee::numeric, nav::numeric, shares_outstanding::numeric,
              nav_per_share::numeric, daily_return, cumulative_return, volatility, sharpe_ratio, max_drawdown
       from api.fund_navs where fund_id = (select p from f) order by snapshot_date $$,
    $$ values
       ((select p from f), '2026-01-05'::date, '2026-01-05 18:00+00'::timestamptz, 0::numeric, 0::numeric, 0::numeric,
        0::numeric, 0::numeric, 0::numeric, 1::numeric, null::double precision, 0::double precision,
        null::double precision, null::double precision, null::double precision),
       ((select p from f), '2026-01-06', '2026-01-06 18:00+00', 1095, 0.06, 0.06, 18.988, 1094.94, 1000, 1.09494,
        0.09494, 0.09494, null, null, 0) $$,
    'api.fund_navs: 5 Jan nothing in yet, 1.00; 6 Jan 1,095 of assets, fee 0.06, NAV 1,094.94, 1.09494, +9.494 %'
);
reset session authorization;
-- Q paused: its NAV history is its manager's and its investors' only.
select is((select status from api.set_fund_status((select q from f), 'paused')), 'paused', 'M pauses Q');
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select y from tokens)); end $$;
select is(
    array(select fund_id from api.fund_navs where fund_id in ((select p from f), (select q from f)) order by snapshot_date),
    array[(select p from f), (select p from f)], 'Y sees the active P''s two rows, not the paused Q''s'
);
do $$ begin perform api.authenticate((select n from tokens)); end $$;
select is((select count(*)::integer from api.fund_navs where fund_id = (select q from f)), 0,
    'nor does N, another manager');
do $$ begin perform api.authenticate((select x from tokens)); end $$;
select results_eq(
    $$ select snapshot_date, nav::numeric from api.fund_navs where fund_id = (select q from f) order by snapshot_date $$,
    $$ values ('2026-01-05'::date, 0::numeric), ('2026-01-06', 1094.94) $$, 'X, who holds Q, sees its two rows'
);
do $$ begin perform api.authenticate((select m from tokens)); end $$;
select is((select count(*)::integer from api.fund_navs where fund_id = (select q from f)), 2, 'and so does M, its manager');
reset session authorization;
do $$ begin perform api.act_as((select m from u)); perform api.set_fund_status((select q from f), 'active'); end $$;

-- 2. The 42501s, as the app login. Y, neither X nor a manager nor an administrator:
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select y from tokens)); end $$;
select throws_ok($$ select api.subscribe((select g from f), (select x from acc), 1000) $$, '42501',
    format('account %s belongs to another user', (select x from acc)),
    'subscribe: 42501 from another user''s account');
select throws_ok($$ select api.redeem((select g from f), (select x from acc), 10) $$, '42501',
    format('account %s belongs to another user', (select x from acc)),
    'redeem: 42501 into another user''s account');
select throws_ok($$ select api.cancel_fund_flow((select pending from fl)) $$, '42501',
    format('fund flow %s belongs to another user', (select pending from fl)),
    'cancel_fund_flow: 42501 another user''s pending subscription');
select throws_ok($$ select api.set_kyc_status((select y from u), 'verified') $$, '42501',
    'only an administrator may record KYC decisions', 'set_kyc_status: 42501 Y verifying itself');
-- N, a manager, but not of G:
do $$ begin perform api.authenticate((select n from tokens)); end $$;
select throws_ok($$ select api.strike_nav((select g from f), '2026-01-07 18:00+00') $$, '42501',
    format('fund %s is managed by another user', (select g from f)), 'strike_nav: 42501 another manager''s fund');
select throws_ok($$ select api.fund_trade((select g from f), 'FGX', 'sell', 1) $$, '42501',
    format('fund %s is managed by another user', (select g from f)), 'fund_trade: 42501 another manager''s fund');
select throws_ok($$ select api.set_fund_strategy((select g from f), 'Growth', 10) $$, '42501',
    format('fund %s is managed by another user', (select g from f)),
    'set_fund_strategy: 42501 another manager''s fund');
-- M manages G but administers nobody's KYC:
do $$ begin perform api.authenticate((select m from tokens)); end $$;
select throws_ok($$ select api.set_kyc_status((select x from u), 'rejected') $$, '42501',
    'only an administrator may record KYC decisions', 'set_kyc_status: 42501 a fund manager rejecting X');
reset session authorization;
-- The refused calls changed nothing (read as the owner).
select results_eq(
    $$ select kind, status, amount::numeric, shares::numeric, user_id from fund.flows
       where fund_id = (select g from f) or user_id = (select y from u) order by requested_at $$,
    $$ values ('subscription'::text, 'dealt'::text, 1000::numeric, 1000::numeric, (select x from u)),
              ('redemption', 'dealt', 107.5952, 100, (select x from u)),
              ('subscription', 'pending', 2000, null, (select x from u)) $$,
    'no flow was added (none of Y''s) and X''s pending 2,000 are still pending'
);
select results_eq(
    $$ select cash::numeric, reserved_cash::numeric from trading.accounts where id = (select x from acc) $$,
    $$ values (4107.5952::numeric, 0::numeric) $$, 'X''s account holds 6,107.5952 - 2,000, none reserved'
);
select results_eq(
    $$ select x.last_strike_date, x.shares_outstanding::numeric,
              (select count(*)::integer from fund.performance_snapshots as s where s.fund_id = x.id),
              (select count(*)::integer from trading.orders as o where o.account_id = x.account_id),
              (select count(*)::integer from audit.log as a where a.event = 'fund_trade'
                   and a.detail ->> 'fund_id' = x.id::text),
              (select count(*)::integer from fund.fund_strategies as s where s.fund_id = x.id)
       from fund.funds as x where x.id = (select g from f) $$,
    $$ values ('2026-01-06'::date, 900::numeric, 2, 1, 1, 0) $$,
    'G: still struck last on 6 Jan (two snapshots), 900 shares, M''s one order and trade, no strategy'
);
select results_eq(
    $$ select username, kyc_status from auth.users where id in ((select x from u), (select y from u)) order by username $$,
    $$ values ('fg_x'::text, 'verified'::text), ('fg_y', 'pending') $$, 'X is still verified, Y still pending'
);
select is((select count(*)::integer from audit.log where event = 'kyc_status_set'), 1,
    'and the only KYC decision on record is the administrator''s verification of X');

-- 3. The invariants shown failing. G has paid one fee, 1.8988 (X's redemption): fee_accruals 1.8988 =
--    -(G's fund_fee posting of -1.8988) = the fee account's +1.8988; no management fee paid yet, 0.06
--    accrued since 6 Jan.
select is_empty('select * from ops.verify_invariants()', 'set-up: the invariants hold');
update fund.fee_accruals set amount = amount + 0.01 where fund_id = (select g from f);
select results_eq(
    $$ select invariant, detail from ops.verify_invariants() $$,
    $$ values ('fund_fees'::text, format('fund %s paid fees of 1.90880000; its account''s fee postings come to '
        '1.89880000, its manager received 1.89880000; management fees of 0 paid through -infinity for 0 on its '
        'snapshots; accrued 0.06000000 since 2026-01-06 for 0.06000000 since 2026-01-06', (select g from f))) $$,
    'fund_fees: a fee recorded as paid (1.9088) that no posting paid (1.8988)'
);
update fund.fee_accruals set amount = amount - 0.01 where fund_id = (select g from f);
-- The fee account's leg of the fee journal posted as another kind (a dividend, no external flow, so the
-- account's cash still matches its postings): the fund paid a fee, the manager did not receive one.
create temporary table fee_leg as
select t.id, t.posted_at from trading.transactions as t
inner join fund.funds as x on t.account_id = x.fee_account_id
where x.id = (select g from f) and t.kind = 'fund_fee';
update trading.transactions set kind = 'dividend' where (id, posted_at) in (select id, posted_at from fee_leg);
select results_eq(
    $$ select invariant, detail from ops.verify_invariants() $$,
    $$ values ('fund_fees'::text, format('fund %s paid fees of 1.89880000; its account''s fee postings come to '
        '1.89880000, its manager received 0; management fees of 0 paid through -infinity for 0 on its '
        'snapshots; accrued 0.06000000 since 2026-01-06 for 0.06000000 since 2026-01-06', (select g from f))) $$,
    'fund_fees: fees the fund account paid out that the manager''s fee account did not receive as fees'
);
update trading.transactions set kind = 'fund_fee' where (id, posted_at) in (select id, posted_at from fee_leg);
select is_empty('select * from ops.verify_invariants()', 'restored, the invariants hold');
-- fund_nav: fund_subscriptions USD holds X's pending 2,000, the only pending subscription.
update fund.flows set amount = amount + 0.5 where id = (select pending from fl);
select results_eq(
    $$ select invariant, detail from ops.verify_invariants() $$,
    $$ values ('fund_nav'::text, 'fund_subscriptions USD holds 2000.00000000; pending subscriptions in it come to 2000.50000000'::text) $$,
    'fund_nav: a pending subscription of 2,000.50 whose account holds 2,000'
);
update fund.flows set amount = amount - 0.5, status = 'canceled', closed_at = now() where id = (select pending from fl);
select results_eq(
    $$ select invariant, detail from ops.verify_invariants() $$,
    $$ values ('fund_nav'::text, 'fund_subscriptions USD holds 2000.00000000; pending subscriptions in it come to 0'::text) $$,
    'fund_nav: a subscription marked canceled whose cash was never returned'
);
update fund.flows set status = 'pending', closed_at = null where id = (select pending from fl);
select is_empty('select * from ops.verify_invariants()', 'restored, the invariants hold');

-- 4. fund.strike_quiet. 7 Jan: FGX 125. fund.strike strikes P; fund.strike_quiet strikes the other quiet funds,
--    Q (P's twin) and R, and leaves out G (its pending subscription was requested before the strike).
--    P: 500 + 5 x 125 = 1,125; fee (1,125 - 0.06) x 2 % / 365 = 0.06164055; accrued 0.12164055; NAV
--       1,124.87835945 over 1,000 = 1.1248783595; the lot's fee 0.1248783595 x 1,000 x 20 % = 24.9756719.
--    R: fee (1,000 - 0.05479452) x 2 % / 365 = 0.05479152; accrued 0.10958604; NAV 999.89041396 over 1,000 =
--       0.9998904140 (6 Jan: 999.94520548, 0.9999452055).
do $$ begin perform api.record_price('FGX', 125, '2026-01-07 12:00+00'); end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, accrued_management_fee::numeric, accrued_performance_fee::numeric
       from fund.strike((select p from f), '2026-01-07 18:00+00') $$,
    $$ values (1124.87835945::numeric, 1.1248783595::numeric, 0.12164055::numeric, 24.9756719::numeric) $$,
    'fund.strike: P on 7 Jan'
);
select is(fund.strike_quiet('2026-01-07 18:00+00'), 2::bigint, 'fund.strike_quiet strikes two funds (Q and R)');
select results_eq(
    $$ select to_jsonb(s) - 'fund_id' - 'struck_at' from fund.performance_snapshots as s
       where s.fund_id = (select q from f) and s.snapshot_date = '2026-01-07' $$,
    $$ select to_jsonb(s) - 'fund_id' - 'struck_at' from fund.performance_snapshots as s
       where s.fund_id = (select p from f) and s.snapshot_date = '2026-01-07' $$,
    'Q''s snapshot is P''s, column for column (figures, statistics and their accumulators)'
);
select results_eq(
    $$ select as_of, cash::numeric, positions_value::numeric, management_fee::numeric, accrued_management_fee::numeric,
              accrued_performance_fee::numeric, nav::numeric, shares_outstanding::numeric, nav_per_share::numeric,
              daily_return, cumulative_return, return_count
       from fund.performance_snapshots where fund_id = (select q from f) and snapshot_date = '2026-01-07' $$,
    $$ values ('2026-01-07 18:00+00'::timestamptz, 500::numeric, 625::numeric, 0.06164055::numeric,
               0.12164055::numeric, 24.9756719::numeric, 1124.87835945::numeric, 1000::numeric,
               1.1248783595::numeric, (1.1248783595 / 1.09494 - 1)::double precision,
               0.1248783595::double precision, 2) $$,
    'Q''s figures, by hand: 1,124.87835945 over 1,000 shares = 1.1248783595, its second return'
);
select results_eq(
    $$ select accrued_management_fee::numeric, management_fee_unpaid_since, nav_per_share::numeric, last_strike_date,
              shares_outstanding::numeric
       from fund.funds where id in ((select p from f), (select q from f)) order by id = (select q from f) $$,
    $$ values (0.12164055::numeric, '2026-01-06'::date, 1.1248783595::numeric, '2026-01-07'::date, 1000::numeric),
              (0.12164055, '2026-01-06', 1.1248783595, '2026-01-07', 1000) $$,
    'and the fund rows of P and Q alike: accrued since 6 Jan, 1.1248783595, struck for 7 Jan'
);
select results_eq(
    $$ select cash::numeric, positions_value::numeric, management_fee::numeric, accrued_management_fee::numeric,
              accrued_performance_fee::numeric, nav::numeric, nav_per_share::numeric, daily_return
       from fund.performance_snapshots where fund_id = (select r from f) and snapshot_date = '2026-01-07' $$,
    $$ values (1000::numeric, 0::numeric, 0.05479152::numeric, 0.10958604::numeric, 0::numeric, 999.89041396::numeric,
               0.9998904140::numeric, (0.9998904140 / 0.9999452055 - 1)::double precision) $$,
    'R, by hand: fee 0.05479152, 0.10958604 accrued, 999.89041396 over 1,000 = 0.9998904140, no performance fee'
);
select results_eq(
    $$ select x.last_strike_date, l.status,
              (select count(*)::integer from fund.performance_snapshots as s where s.fund_id = x.id)
       from fund.funds as x inner join fund.flows as l on l.id = (select pending from fl)
       where x.id = (select g from f) $$,
    $$ values ('2026-01-06'::date, 'pending'::text, 2) $$,
    'G is left out: still struck last on 6 Jan, its subscription still pending'
);
select is(fund.strike_quiet('2026-01-07 18:00+00'), 0::bigint, 'a second quiet strike of the day strikes nothing');
do $$ begin perform api.act_as((select x from u)); perform api.cancel_fund_flow((select pending from fl)); end $$;
select is(fund.strike_quiet('2026-01-07 18:00+00'), 1::bigint,
    'with the request canceled G is quiet: the quiet strike takes it');
select results_eq(
    $$ select last_strike_date from fund.funds where id = (select g from f) $$,
    $$ values ('2026-01-07'::date) $$, 'G struck for 7 Jan'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
