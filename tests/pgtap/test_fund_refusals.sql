-- What fund.strike refuses, defers or leaves undealt, and the cancel of a pending redemption (docs/funds.md
-- "Forward pricing" and "The strike"), each reached through the api with figures computed by hand:
-- 1. a subscription whose investor's KYC is rejected after the request is refused at the strike, its cash
--    returned and the investor notified, while another investor's in the same strike deals;
-- 2. the month-end management fee left accrued for lack of free cash (the manager notified), then paid at the
--    first strike of the next month once the cash is there (fund.management_fee_due);
-- 3. the yearly crystallization deferred for lack of free cash (the manager notified; the date stays due);
-- 4. a redemption whose shares are worth nothing (round(shares x NAV per share, 8) = 0: 0.000000001 shares at
--    1.00) and a subscription that buys no share (round(amount / NAV per share, 10) = 0: the smallest amount,
--    0.00000001, at a NAV per share of 1,000 driven there by a price), both refused;
-- 5. api.cancel_fund_flow of a pending redemption: the flow canceled, nothing else moved.
-- Only section 2's fund charges a management fee and only section 3's a performance fee (the others pass
-- p_management_fee_rate and p_performance_fee_rate 0), so no other figure carries one. Section 3's strike is of today (now()): a
-- crystallization date lies from today to a year ahead (api.set_fund_crystallization_date) and no strike runs
-- ahead of the clock. The session is a superuser acting as the users (api.act_as).
begin;
select plan(40);
-- The strikes below replay days long past: each request is dated just after its fund's last strike
-- (tests/sql/helpers.sql), as if made between two strikes.
do $$ begin perform tests.replay_fund_requests(); end $$;

insert into auth.users (email, username, role) values
('fr-m@example.com', 'fr_m', 'fund_manager'),
('fr-x@example.com', 'fr_x', 'investor'),
('fr-y@example.com', 'fr_y', 'investor'),
('fr-z@example.com', 'fr_z', 'investor');
create temporary table u as
select
    (select id from auth.users where username = 'fr_m') as m,
    (select id from auth.users where username = 'fr_x') as x,
    (select id from auth.users where username = 'fr_y') as y,
    (select id from auth.users where username = 'fr_z') as z;
do $$ begin
    perform api.set_kyc_status((select x from u), 'verified');
    perform api.set_kyc_status((select y from u), 'verified');
    perform api.set_kyc_status((select z from u), 'verified');
    perform api.upsert_security('FRA', 'Fund refusals, fee fund', 'stock');
    perform api.upsert_security('FRC', 'Fund refusals, crystallization fund', 'stock');
    perform api.upsert_security('FRT', 'Fund refusals, tiny amounts', 'stock');
end $$;
-- Each investor's live account, with 20,000.
create temporary table acc (user_id uuid, id uuid);
do $$ begin
    perform api.act_as((select x from u));
    insert into acc select (select x from u), api.create_account('FR X live', 'live');
    perform api.deposit((select id from acc where user_id = (select x from u)), 20000);
    perform api.act_as((select y from u));
    insert into acc select (select y from u), api.create_account('FR Y live', 'live');
    perform api.deposit((select id from acc where user_id = (select y from u)), 20000);
    perform api.act_as((select z from u));
    insert into acc select (select z from u), api.create_account('FR Z live', 'live');
    perform api.deposit((select id from acc where user_id = (select z from u)), 20000);
end $$;
create function pg_temp.acc(p_user uuid) returns uuid language sql stable as $$ select id from acc where user_id = p_user $$;
create function pg_temp.cash(p_account uuid) returns numeric language sql stable as $$
    select cash::numeric from trading.accounts where id = p_account
$$;
create temporary table f (name text primary key, id uuid);
create function pg_temp.f(p_name text) returns uuid language sql stable as $$ select id from f where name = p_name $$;
create function pg_temp.fund_cash(p_name text) returns numeric language sql stable as $$
    select a.cash::numeric from fund.funds as d inner join trading.accounts as a on d.account_id = a.id
    where d.id = pg_temp.f(p_name)
$$;
create function pg_temp.fee_cash(p_name text) returns numeric language sql stable as $$
    select a.cash::numeric from fund.funds as d inner join trading.accounts as a on d.fee_account_id = a.id
    where d.id = pg_temp.f(p_name)
$$;
do $$ begin
    perform api.act_as((select m from u));
    insert into f values
    ('kyc', api.create_fund('Refusals KYC Fund', 'mini', null, null, null, null, 0, 0)),
    ('fee', api.create_fund('Refusals Fee Fund', 'mini', null, null, null, null, 0.01825, 0)),
    ('crystal', api.create_fund('Refusals Crystal Fund', 'mini', null, null, null, null, 0)),
    ('tiny', api.create_fund('Refusals Tiny Fund', 'mini', null, null, null, null, 0, 0));
end $$;

-- 1. KYC at the strike: Y asks for 2,000 (Y's account 20,000 -> 18,000), then Z for 1,500 (20,000 -> 18,500),
--    both KYC-verified; an administrator then rejects Y's KYC. The strike of 5 Jan (first strike, 1.00 per
--    share) refuses Y's request (the cash back: 20,000) and deals Z's: 1,500 shares, the fund's 1,500 cash.
create temporary table kyc (user_id uuid, id uuid);
do $$ begin
    perform api.act_as((select y from u));
    insert into kyc select (select y from u), (api.subscribe(pg_temp.f('kyc'), pg_temp.acc((select y from u)), 2000)).id;
    perform api.act_as((select z from u));
    insert into kyc select (select z from u), (api.subscribe(pg_temp.f('kyc'), pg_temp.acc((select z from u)), 1500)).id;
    perform api.set_kyc_status((select y from u), 'rejected');
end $$;
select results_eq(
    $$ select k.user_id, l.status, pg_temp.cash(l.account_id), u.kyc_status::text from kyc as k
       inner join fund.flows as l on k.id = l.id inner join auth.users as u on k.user_id = u.id order by l.requested_at $$,
    $$ values ((select y from u), 'pending'::text, 18000::numeric, 'rejected'::text),
              ((select z from u), 'pending', 18500, 'verified') $$,
    'set-up: Y''s 2,000 and Z''s 1,500 pending, in that order; Y''s KYC rejected since the request'
);
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select dealt, pending from api.strike_nav(pg_temp.f('kyc'), '2026-01-05 18:00+00') $$,
    $$ values (1, 0) $$, 'the strike deals one subscription of the two'
);
select results_eq(
    $$ select status, pending_reason, shares::numeric, closed_at is not null from fund.flows
       where id = (select id from kyc where user_id = (select y from u)) $$,
    $$ values ('refused'::text, 'the investor is not KYC-verified (rejected)'::text, null::numeric, true) $$,
    'Y''s subscription is refused, naming why'
);
select is(pg_temp.cash(pg_temp.acc((select y from u))), 20000::numeric, 'Y''s cash is back: 20,000, as before the request');
select results_eq(
    $$ select t.account_id, t.amount::numeric from trading.transactions as t
       where t.journal_id = (select refund_journal_id from fund.flows where id = (select id from kyc where user_id = (select y from u)))
       order by t.amount $$,
    $$ values (fund.subscriptions_account('USD'), -2000::numeric), (pg_temp.acc((select y from u)), 2000) $$,
    'by one journal from fund_subscriptions to Y''s account'
);
select results_eq(
    $$ select level::text, title, message, data ->> 'fund_id', data ->> 'flow_id', data ->> 'reason' from notify.events
       where user_id = (select y from u) and data ->> 'event' = 'fund_subscription_refused' $$,
    $$ values ('warning'::text, 'Subscription refused'::text,
               'Fund Refusals KYC Fund refused your subscription of 2000.00000000 at its strike of 2026-01-05: the investor is not KYC-verified (rejected). The cash is back in your account.'::text,
               pg_temp.f('kyc')::text, (select id from kyc where user_id = (select y from u))::text,
               'the investor is not KYC-verified (rejected)'::text) $$,
    'Y is told, once, with the reason'
);
select is(
    (select count(*)::integer from fund.lots where fund_id = pg_temp.f('kyc') and user_id = (select y from u))
    + (select count(*)::integer from fund.holdings where fund_id = pg_temp.f('kyc') and user_id = (select y from u)),
    0, 'Y has no lot nor holding in the fund'
);
select results_eq(
    $$ select l.status, l.shares::numeric, l.nav_per_share::numeric, h.shares::numeric from fund.flows as l
       inner join fund.holdings as h on l.fund_id = h.fund_id and l.user_id = h.user_id
       where l.id = (select id from kyc where user_id = (select z from u)) $$,
    $$ values ('dealt'::text, 1500::numeric, 1::numeric, 1500::numeric) $$,
    'Z''s subscription in the same strike deals: 1,500 shares at 1.00, Z''s holding'
);
select results_eq(
    $$ select shares_outstanding::numeric, pg_temp.fund_cash('kyc') from fund.funds where id = pg_temp.f('kyc') $$,
    $$ values (1500::numeric, 1500::numeric) $$, 'the fund: Z''s 1,500 shares and 1,500 cash, none of Y''s'
);

-- 2. The month-end management fee without the cash to pay it (0.01825 a year: 0.00005 a day, ACT/365):
--    30 Dec 2025: X's 10,000 deal at 1.00 (first strike, no fee); the manager buys 100 FRA at 100 (cash 0).
--    31 Dec (month end, 1 day): fee round(10,000 x 0.01825 x 1 / 365, 8) = 0.5; NAV 10,000 - 0.5 = 9,999.5,
--           0.99995 per share. Due, but the free cash of 0 does not cover 0.5: it stays accrued (unpaid since
--           31 Dec), the manager is told. The manager then sells the 100 FRA at 100 (cash 10,000).
--    1 Jan 2026 (1 day): fee round(9,999.5 x 0.00005, 8) = 0.499975, accrued 0.999975; due (unpaid since a
--           day of an earlier month) and covered: paid. Cash 10,000 - 0.999975 = 9,999.000025 = the NAV,
--           0.9999000025 per share.
do $$ begin
    perform api.record_price('FRA', 100, '2025-12-30 12:00+00');
    perform api.act_as((select x from u));
    perform api.subscribe(pg_temp.f('fee'), pg_temp.acc((select x from u)), 10000);
    perform api.act_as((select m from u));
    perform api.strike_nav(pg_temp.f('fee'), '2025-12-30 18:00+00');
    perform api.fund_trade(pg_temp.f('fee'), 'FRA', 'buy', 100);
end $$;
select results_eq(
    $$ select d.shares_outstanding::numeric, pg_temp.fund_cash('fee'), p.quantity::numeric from fund.funds as d
       inner join trading.positions as p on p.account_id = d.account_id where d.id = pg_temp.f('fee') $$,
    $$ values (10000::numeric, 0::numeric, 100::numeric) $$,
    'set-up: X''s 10,000 shares dealt on 30 Dec; the fund holds 100 FRA and no cash'
);
select results_eq(
    $$ select accrued_management_fee::numeric, nav::numeric, nav_per_share::numeric
       from api.strike_nav(pg_temp.f('fee'), '2025-12-31 18:00+00') $$,
    $$ values (0.5::numeric, 9999.5::numeric, 0.99995::numeric) $$,
    '31 Dec: 0.5 of fee accrued; NAV 9,999.5, 0.99995 per share'
);
select results_eq(
    $$ select d.accrued_management_fee::numeric, d.management_fee_unpaid_since,
              (select count(*)::integer from fund.fee_accruals as a where a.fund_id = d.id), pg_temp.fee_cash('fee')
       from fund.funds as d where d.id = pg_temp.f('fee') $$,
    $$ values (0.5::numeric, '2025-12-31'::date, 0, 0::numeric) $$,
    'the month end does not pay it: 0.5 stays accrued since 31 Dec, no payment, the fee account empty'
);
select results_eq(
    $$ select level::text, title, message, (data ->> 'accrued')::numeric from notify.events
       where user_id = (select m from u) and data ->> 'event' = 'fund_fee_unpaid' and data ->> 'fund_id' = pg_temp.f('fee')::text $$,
    $$ values ('warning'::text, 'Management fee not paid'::text,
               'Fund Refusals Fee Fund has 0.00000000 free cash; the management fee of 0.50000000 stays accrued.'::text,
               0.5::numeric) $$,
    'the manager is told why'
);
do $$ begin perform api.fund_trade(pg_temp.f('fee'), 'FRA', 'sell', 100); end $$;
select results_eq(
    $$ select accrued_management_fee::numeric, nav::numeric, nav_per_share::numeric
       from api.strike_nav(pg_temp.f('fee'), '2026-01-01 18:00+00') $$,
    $$ values (0.999975::numeric, 9999.000025::numeric, 0.9999000025::numeric) $$,
    '1 Jan, with the sale''s 10,000 in: 0.5 + 0.499975 = 0.999975 accrued; NAV 9,999.000025'
);
select results_eq(
    $$ select kind, accrual_date, amount::numeric from fund.fee_accruals where fund_id = pg_temp.f('fee') $$,
    $$ values ('management'::text, '2026-01-01'::date, 0.999975::numeric) $$,
    'the first strike of the next month pays it all: one payment of 0.999975 settling through 1 Jan'
);
select results_eq(
    $$ select d.accrued_management_fee::numeric, d.management_fee_unpaid_since, pg_temp.fund_cash('fee'), pg_temp.fee_cash('fee')
       from fund.funds as d where d.id = pg_temp.f('fee') $$,
    $$ values (0::numeric, null::date, 9999.000025::numeric, 0.999975::numeric) $$,
    'nothing accrued any more; 0.999975 moved from the fund''s 10,000 to the fee account'
);
select is(
    (select count(*)::integer from notify.events where data ->> 'event' = 'fund_fee_unpaid'
         and data ->> 'fund_id' = pg_temp.f('fee')::text),
    1, 'and the manager was told only of the month end'
);

-- 3. The yearly crystallization without the cash to pay it (performance fee 20 %, the mini type's):
--    5 Jan: X's 1,000 deal at 1.00 (lot of 1,000 shares, HWM 1.00); the manager buys 10 FRC at 100 (cash 0).
--    6 Jan: FRC 120. The manager moves the crystallization date to today; the strike of today (now()) values
--           10 x 120 = 1,200 over 1,000 shares = 1.20; the lot accrues (1.20 - 1.00) x 1,000 x 20 % = 40. The
--           free cash of 0 does not cover 40: nothing crystallizes (no fee, no share cancelled, the mark and
--           the date stay), the manager is told, and the date, now due, no longer moves (TB082).
do $$ begin
    perform api.record_price('FRC', 100, '2026-01-05 12:00+00');
    perform api.act_as((select x from u));
    perform api.subscribe(pg_temp.f('crystal'), pg_temp.acc((select x from u)), 1000);
    perform api.act_as((select m from u));
    perform api.strike_nav(pg_temp.f('crystal'), '2026-01-05 18:00+00');
    perform api.fund_trade(pg_temp.f('crystal'), 'FRC', 'buy', 10);
    perform api.record_price('FRC', 120, '2026-01-06 12:00+00');
end $$;
create temporary table today as select (now() at time zone 'UTC')::date as d;
select is(
    (select crystallization_date from api.set_fund_crystallization_date(pg_temp.f('crystal'), (select d from today))),
    (select d from today), 'set-up: the manager moves the crystallization date to today'
);
select results_eq(
    $$ select cash::numeric, nav::numeric, nav_per_share::numeric, accrued_performance_fee::numeric
       from api.strike_nav(pg_temp.f('crystal'), now()) $$,
    $$ values (0::numeric, 1200::numeric, 1.2::numeric, 40::numeric) $$,
    'today: NAV 1,200 at 1.20 with no cash; the lot has accrued 40'
);
select results_eq(
    $$ select (select count(*)::integer from fund.fee_accruals as a where a.fund_id = d.id), pg_temp.fee_cash('crystal'),
              pg_temp.fund_cash('crystal'), d.shares_outstanding::numeric, d.crystallization_date
       from fund.funds as d where d.id = pg_temp.f('crystal') $$,
    $$ values (0, 0::numeric, 0::numeric, 1000::numeric, (select d from today)) $$,
    'nothing crystallizes: no fee paid, the fund''s cash 0 and 1,000 shares still, the date not moved a year on'
);
select results_eq(
    $$ select shares::numeric, high_water_mark::numeric, crystallized_at from fund.lots where fund_id = pg_temp.f('crystal') $$,
    $$ values (1000::numeric, 1::numeric, null::timestamptz) $$,
    'X''s lot keeps its 1,000 shares and its mark of 1.00'
);
select results_eq(
    $$ select level::text, title, message, (data ->> 'accrued')::numeric from notify.events
       where user_id = (select m from u) and data ->> 'event' = 'fund_fee_unpaid'
           and data ->> 'fund_id' = pg_temp.f('crystal')::text $$,
    $$ values ('warning'::text, 'Performance fee not crystallized'::text,
               'Fund Refusals Crystal Fund has 0.00000000 free cash; performance fees of 40.00000000 wait for a later strike.'::text,
               40::numeric) $$,
    'the manager is told why'
);
select throws_ok(
    $$ select api.set_fund_crystallization_date(pg_temp.f('crystal'), (select d + 10 from today)) $$, 'TB082',
    format('fund %s is due to crystallize (its date %s was reached at the strike of %s)', pg_temp.f('crystal'),
        (select d from today), (select d from today)),
    'the crystallization is due: its date no longer moves'
);

-- 4. Amounts too small for the rounding (no fees):
--    5 Jan: Z's 1,000 deal at 1.00 (Z's account 20,000 - 1,500 - 1,000 = 17,500); the manager buys 10 FRT at
--           100 (cash 0).
--    6 Jan: Z asks to redeem 0.000000001 shares: round(0.000000001 x 1.00, 8) = 0, worth nothing: refused.
--    7 Jan: FRT 100,000: NAV 10 x 100,000 = 1,000,000 over 1,000 shares = 1,000. Z asks to subscribe
--           0.00000001 more (the smallest amount; Z's net investment 1,000.00000001 is within the fund's
--           limits): round(0.00000001 / 1,000, 10) = round(0.00000000001, 10) = 0 shares: refused, cash back.
do $$ begin
    perform api.record_price('FRT', 100, '2026-01-05 12:00+00');
    perform api.act_as((select z from u));
    perform api.subscribe(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 1000);
    perform api.act_as((select m from u));
    perform api.strike_nav(pg_temp.f('tiny'), '2026-01-05 18:00+00');
    perform api.fund_trade(pg_temp.f('tiny'), 'FRT', 'buy', 10);
    perform api.act_as((select z from u));
end $$;
create temporary table tiny as
select (api.redeem(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 0.000000001)).id as red, null::uuid as sub;
select results_eq(
    $$ select h.shares::numeric, pg_temp.fund_cash('tiny'), pg_temp.cash(pg_temp.acc((select z from u)))
       from fund.holdings as h where h.fund_id = pg_temp.f('tiny') $$,
    $$ values (1000::numeric, 0::numeric, 17500::numeric) $$,
    'set-up: Z holds 1,000 shares, the fund no cash, Z''s account 17,500'
);
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select nav_per_share::numeric, dealt, pending from api.strike_nav(pg_temp.f('tiny'), '2026-01-06 18:00+00') $$,
    $$ values (1::numeric, 0, 0) $$, '6 Jan, at 1.00: the redemption is neither dealt nor left pending'
);
select results_eq(
    $$ select status, pending_reason, shares::numeric, amount::numeric, deal_journal_id, closed_at is not null
       from fund.flows where id = (select red from tiny) $$,
    $$ values ('refused'::text, 'the shares are worth nothing at this NAV per share'::text, 0.000000001::numeric,
               null::numeric, null::bigint, true) $$,
    'it is refused: 0.000000001 shares are worth round(0.000000001, 8) = 0'
);
select results_eq(
    $$ select h.shares::numeric, l.shares::numeric, pg_temp.fund_cash('tiny'), pg_temp.cash(pg_temp.acc((select z from u)))
       from fund.holdings as h inner join fund.lots as l on h.fund_id = l.fund_id and h.user_id = l.user_id
       where h.fund_id = pg_temp.f('tiny') $$,
    $$ values (1000::numeric, 1000::numeric, 0::numeric, 17500::numeric) $$,
    'and nothing moved: Z''s holding and lot of 1,000 shares, the fund''s cash 0, Z''s 17,500'
);
do $$ begin
    perform api.record_price('FRT', 100000, '2026-01-07 12:00+00');
    perform api.act_as((select z from u));
end $$;
update tiny set sub = (api.subscribe(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 0.00000001)).id;
select is(pg_temp.cash(pg_temp.acc((select z from u))), 17499.99999999::numeric,
    'set-up: Z''s 0.00000001 are held from the request');
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select nav::numeric, nav_per_share::numeric, dealt from api.strike_nav(pg_temp.f('tiny'), '2026-01-07 18:00+00') $$,
    $$ values (1000000::numeric, 1000::numeric, 0) $$, '7 Jan: NAV 1,000,000 at 1,000 per share; nothing deals'
);
select results_eq(
    $$ select status, pending_reason, shares::numeric, refund_journal_id is not null from fund.flows where id = (select sub from tiny) $$,
    $$ values ('refused'::text, 'the amount buys no share at this NAV per share'::text, null::numeric, true) $$,
    'the subscription is refused: 0.00000001 / 1,000 rounds to 0 shares'
);
select results_eq(
    $$ select pg_temp.cash(pg_temp.acc((select z from u))), h.shares::numeric, h.net_invested::numeric,
              (select count(*)::integer from fund.lots as l where l.fund_id = h.fund_id)
       from fund.holdings as h where h.fund_id = pg_temp.f('tiny') $$,
    $$ values (17500::numeric, 1000::numeric, 1000::numeric, 1) $$,
    'its cash is back (17,500); Z''s holding, net investment and one lot unchanged'
);
select results_eq(
    $$ select data ->> 'flow_id', data ->> 'reason' from notify.events
       where user_id = (select z from u) and data ->> 'event' = 'fund_subscription_refused' $$,
    $$ values ((select sub from tiny)::text, 'the amount buys no share at this NAV per share'::text) $$,
    'Z is told, with the reason'
);

-- 5. api.cancel_fund_flow of a pending redemption: Z asks for 100 of the 1,000 shares, then cancels. The
--    flow closes as canceled with no journal; Z's holding, lot and cash, the fund's shares and cash and the
--    ledger stay as they were; the next strike deals nothing; the 100 shares are free to redeem again.
do $$ begin perform api.act_as((select z from u)); end $$;
create temporary table cx as select (api.redeem(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 100)).id;
create temporary table before_cancel as
select h.shares, h.net_invested, l.shares as lot_shares, d.shares_outstanding, pg_temp.fund_cash('tiny') as fund_cash,
    pg_temp.cash(pg_temp.acc((select z from u))) as z_cash, (select count(*) from trading.transactions) as postings
from fund.holdings as h
inner join fund.lots as l on h.fund_id = l.fund_id and h.user_id = l.user_id
inner join fund.funds as d on h.fund_id = d.id
where h.fund_id = pg_temp.f('tiny');
select throws_ok(
    $$ select api.redeem(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 901) $$, '22023',
    format('investor %s may redeem 900.0000000000 shares of fund %s (held, less pending redemptions), not 901',
        (select z from u), pg_temp.f('tiny')),
    'set-up: the pending 100 hold back shares (900 of 1,000 free)'
);
select results_eq(
    $$ select id, status, kind, shares::numeric from api.cancel_fund_flow((select id from cx)) $$,
    $$ values ((select id from cx), 'canceled'::text, 'redemption'::text, 100::numeric) $$,
    'cancel_fund_flow returns the redemption, canceled'
);
select results_eq(
    $$ select status, closed_at is not null, amount::numeric, deal_journal_id, refund_journal_id, pending_reason
       from fund.flows where id = (select id from cx) $$,
    $$ values ('canceled'::text, true, null::numeric, null::bigint, null::bigint, null::text) $$,
    'the flow is closed as canceled, with no amount, journal or reason'
);
select results_eq(
    $$ select h.shares, h.net_invested, l.shares, d.shares_outstanding, pg_temp.fund_cash('tiny'),
              pg_temp.cash(pg_temp.acc((select z from u))), (select count(*) from trading.transactions)
       from fund.holdings as h
       inner join fund.lots as l on h.fund_id = l.fund_id and h.user_id = l.user_id
       inner join fund.funds as d on h.fund_id = d.id
       where h.fund_id = pg_temp.f('tiny') $$,
    $$ select * from before_cancel $$,
    'nothing else moved: holding, lot, shares outstanding, both accounts'' cash, no posting'
);
do $$ begin perform api.act_as((select m from u)); end $$;
select results_eq(
    $$ select dealt, pending from api.strike_nav(pg_temp.f('tiny'), '2026-01-08 18:00+00') $$,
    $$ values (0, 0) $$, 'the next strike deals nothing'
);
select results_eq(
    $$ select l.status, h.shares::numeric from fund.flows as l
       inner join fund.holdings as h on l.fund_id = h.fund_id and l.user_id = h.user_id where l.id = (select id from cx) $$,
    $$ values ('canceled'::text, 1000::numeric) $$, 'the flow stays canceled, Z''s 1,000 shares held'
);
do $$ begin perform api.act_as((select z from u)); end $$;
select results_eq(
    $$ select status, shares::numeric from api.redeem(pg_temp.f('tiny'), pg_temp.acc((select z from u)), 1000) $$,
    $$ values ('pending'::text, 1000::numeric) $$,
    'the canceled request no longer holds shares back: all 1,000 may be asked for'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
