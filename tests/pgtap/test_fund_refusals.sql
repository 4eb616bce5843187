-- What fund.strike refuses at the strike (docs/funds.md "Forward pricing" and "The strike"), reached through
-- the api with figures computed by hand:
-- 1. a subscription whose investor's KYC is rejected after the request is refused at the strike, its cash
--    returned and the investor notified, while another investor's in the same strike deals.
-- The session is a superuser acting as the users (api.act_as).
begin;
select plan(10);
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
    insert into f values ('kyc', api.create_fund('Refusals KYC Fund', 'mini', null, null, null, null, 0, 0));
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

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
