-- The fund api's documented errors that test_funds.sql and test_fund_admin.sql leave out (docs/funds.md):
-- api.subscribe, api.redeem, api.create_fund, api.fund_trade, api.strike_nav, api.cancel_fund_flow and
-- api.set_fund_strategy, each error with its SQLSTATE and its exact message (ids put in with format()), so
-- no check passes for another error of the same SQLSTATE; after a refused call, that it changed nothing.
-- One subscription is dealt (its requested_at set before the strike's p_as_of, so it deals whether the strike
-- deals every pending request or only those requested before p_as_of): the investor then holds shares to
-- redeem and the fund cash to trade with. api.set_fund_status's TB081 "has pending redemptions" cannot be
-- reached (a pending redemption's investor still holds shares, so "shares in issue" comes first): that order
-- is checked instead. The session is a superuser acting as the users (api.act_as).
begin;
select plan(50);

insert into auth.users (email, username, role) values
('fe-m@example.com', 'fe_m', 'fund_manager'),
('fe-x@example.com', 'fe_x', 'investor');
create temporary table u as
select
    (select id from auth.users where username = 'fe_m') as m,
    (select id from auth.users where username = 'fe_x') as x;
-- FEX has a quote from 5 January; FEMISS only from 7 January (the strike of 6 January finds no price for it).
do $$ begin
    perform api.set_kyc_status((select x from u), 'verified');
    perform api.upsert_security('FEX', 'Fund errors test', 'stock');
    perform api.upsert_security('FEMISS', 'Fund errors test, priced late', 'stock');
    perform api.record_price('FEX', 100, '2026-01-05 12:00+00');
    perform api.record_price('FEMISS', 10, '2026-01-07 12:00+00');
end $$;

-- The manager's funds: one open, one empty that the manager closes (through the api).
do $$ begin perform api.act_as((select m from u)); end $$;
create temporary table f as
select api.create_fund('Errors Fund', 'mini') as main, api.create_fund('Shut Fund', 'mini') as shut;
do $$ begin perform api.set_fund_status((select shut from f), 'closed'); end $$;

-- The investor's accounts: live USD with cash, live USD with little cash, live USD with cash reserved by a
-- resting order, live EUR with cash, and a live USD one that is suspended.
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table acc as
select
    api.create_account('FE X live', 'live') as live,
    api.create_account('FE X low', 'live') as low,
    api.create_account('FE X reserved', 'live') as resv,
    api.create_account('FE X euro', 'live', null, null, 'EUR') as eur,
    api.create_account('FE X suspended', 'live') as susp;
do $$ begin
    perform api.deposit((select live from acc), 20000);
    perform api.deposit((select low from acc), 1500);
    perform api.deposit((select resv from acc), 3000);
    perform api.deposit((select eur from acc), 5000);
    perform api.deposit((select susp from acc), 5000);
    perform api.execute_paper_trade((select resv from acc), 'FEX', 'buy', 1000, 'limit', 1, null, 'gtc');
end $$;
update trading.accounts set status = 'suspended' where id = (select susp from acc);
create temporary table cash_before as
select id, cash, reserved_cash from trading.accounts where user_id = (select x from u);

-- 1. api.subscribe.
select is((select reserved_cash::numeric from trading.accounts where id = (select resv from acc)), 1000::numeric,
    'set-up: the resting order reserves 1,000 of the 3,000 on the reserved account');
select throws_ok($$ select api.subscribe((select main from f), (select low from acc), 2000) $$, 'TB040',
    format('account %s has 1500.00000000 available (cash less reserved), 2000.00000000 requested', (select low from acc)),
    'subscribe: TB040 when the account''s cash does not cover the amount');
select throws_ok($$ select api.subscribe((select main from f), (select resv from acc), 2500) $$, 'TB040',
    format('account %s has 2000.00000000 available (cash less reserved), 2500.00000000 requested', (select resv from acc)),
    'subscribe: TB040 counts cash less reserved (3,000 cash covers 2,500, the 2,000 available do not)');
select throws_ok($$ select api.subscribe((select main from f), (select susp from acc), 1000) $$, 'TB043',
    format('account %s is suspended', (select susp from acc)), 'subscribe: TB043 from an account that is not active');
select throws_ok($$ select api.subscribe((select main from f), (select eur from acc), 1000) $$, 'TB044',
    format('account %s holds EUR, fund %s USD', (select eur from acc), (select main from f)),
    'subscribe: TB044 from an account in another currency than the fund''s');
select throws_ok(
    $$ select api.subscribe((select main from f), '00000000-0000-4000-8000-0000000000fe', 1000) $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000fe does not exist', 'subscribe: P0002 an unknown account'
);
select throws_ok($$ select api.subscribe(null, (select live from acc), 1000) $$, '22023',
    'p_fund_id must not be null', 'subscribe: 22023 a null fund');
select throws_ok($$ select api.subscribe((select main from f), (select live from acc), 1000, '') $$, '22023',
    'p_idempotency_key must be 1 to 200 characters long', 'subscribe: 22023 an empty idempotency key');
select throws_ok($$ select api.subscribe((select main from f), (select live from acc), 1000, repeat('k', 201)) $$,
    '22023', 'p_idempotency_key must be 1 to 200 characters long', 'subscribe: 22023 an idempotency key of 201 characters');
select is((select count(*)::integer from fund.flows where user_id = (select x from u)), 0,
    'no refused subscription left a flow');
select is_empty(
    $$ select id, cash, reserved_cash from trading.accounts where user_id = (select x from u)
       except select id, cash, reserved_cash from cash_before $$,
    'nor moved any of the investor''s cash'
);

-- X's 5,000 deal at the first strike (1.00 per share): X holds 5,000 shares, the fund 5,000 cash.
create temporary table fl as
select (api.subscribe((select main from f), (select live from acc), 5000, 'x-sub')).id as sub;
update fund.flows set requested_at = '2026-01-05 17:00+00' where id = (select sub from fl);
do $$ begin
    perform api.act_as((select m from u));
    perform api.strike_nav((select main from f), '2026-01-05 18:00+00');
end $$;
select results_eq(
    $$ select status, shares::numeric from fund.flows where id = (select sub from fl) $$,
    $$ values ('dealt'::text, 5000::numeric) $$, 'set-up: X''s subscription dealt, 5,000 shares'
);

-- 2. api.redeem.
do $$ begin perform api.act_as((select x from u)); end $$;
select throws_ok($$ select api.redeem((select main from f), (select eur from acc), 1) $$, 'TB044',
    format('account %s holds EUR, fund %s does not', (select eur from acc), (select main from f)),
    'redeem: TB044 into an account in another currency than the fund''s');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 0) $$, '22023',
    'p_shares must lie between 0.0000000001 and 100000000000, got 0', 'redeem: 22023 no shares');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 1.00000000001) $$, '22023',
    'p_shares has more than 10 decimals: 1.00000000001', 'redeem: 22023 shares with more than 10 decimals');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 100000000001) $$, '22023',
    'p_shares must lie between 0.0000000001 and 100000000000, got 100000000001', 'redeem: 22023 shares above the limit');
select throws_ok($$ select api.redeem(null, (select live from acc), 1) $$, '22023', 'p_fund_id must not be null',
    'redeem: 22023 a null fund');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 1, '') $$, '22023',
    'p_idempotency_key must be 1 to 200 characters long', 'redeem: 22023 an empty idempotency key');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 1, repeat('k', 201)) $$, '22023',
    'p_idempotency_key must be 1 to 200 characters long', 'redeem: 22023 an idempotency key of 201 characters');
select throws_ok(
    $$ select api.redeem((select main from f), '00000000-0000-4000-8000-0000000000fe', 1) $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000fe does not exist', 'redeem: P0002 an unknown account'
);
do $$ begin perform api.redeem((select main from f), (select live from acc), 100, 'x-red'); end $$;
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 200, 'x-red') $$, 'TB042',
    format('idempotency key ''x-red'' was used for fund flow %s with other arguments ({"kind": "redemption", "shares": 100, "account": "%s"})',
        (select id from fund.flows where idempotency_key = 'x-red'), (select live from acc)),
    'redeem: TB042 the same key with other shares');
select throws_ok($$ select api.redeem((select main from f), (select live from acc), 100, 'x-sub') $$, 'TB042',
    format('idempotency key ''x-sub'' was used for fund flow %s with other arguments ({"kind": "subscription", "amount": 5000.00000000, "account": "%s"})',
        (select sub from fl), (select live from acc)),
    'redeem: TB042 a key the investor used for a subscription to the fund');
select results_eq(
    $$ select idempotency_key, status, shares::numeric from fund.flows
       where user_id = (select x from u) and kind = 'redemption' $$,
    $$ values ('x-red'::text, 'pending'::text, 100::numeric) $$,
    'the refused redemptions left nothing: only the one request of 100 shares is pending'
);

-- 3. api.fund_trade: the manager buys 1 FEMISS (at 10) with a client_order_id.
do $$ begin perform api.act_as((select m from u)); end $$;
create temporary table o as
select * from api.fund_trade((select main from f), 'FEMISS', 'buy', 1, 'market', null, null, 'day', 'fe-c1');
select is((select status::text from o), 'filled', 'set-up: the fund buys 1 FEMISS');
select throws_ok(
    $$ select api.fund_trade((select main from f), 'FEMISS', 'buy', 2, 'market', null, null, 'day', 'fe-c1') $$, 'TB060',
    format('client_order_id fe-c1 of account %s was used for order %s with other arguments',
        (select account_id from fund.funds where id = (select main from f)), (select id from o)),
    'fund_trade: TB060 a client_order_id reused with other arguments'
);
-- An error inside trading.place_order, under the nested fund_manager context, rolls back to throws_ok's
-- savepoint: the manager's context is back and still valid (app.enter_system_actor drew no nonce).
select results_eq($$ select user_id, actor from app.current_context() $$, $$ values ((select m from u), null::text) $$,
    'after an error in the placement the manager''s context is valid');
select throws_ok($$ select api.fund_trade((select main from f), 'FENOPE', 'buy', 1) $$, 'P0002',
    'security FENOPE does not exist', 'fund_trade: P0002 an unknown symbol');
select throws_ok($$ select api.fund_trade((select shut from f), 'FEX', 'buy', 1) $$, '22023',
    format('fund %s is closed', (select shut from f)), 'fund_trade: 22023 a closed fund');
select results_eq(
    $$ select (select count(*)::integer from trading.orders as o inner join fund.funds as x on o.account_id = x.account_id
               where x.id = (select main from f)),
              (select count(*)::integer from trading.orders as o inner join fund.funds as x on o.account_id = x.account_id
               where x.id = (select shut from f)) $$,
    $$ values (1, 0) $$,
    'the refused trades placed nothing: the open fund has its one order, the closed one none'
);
select is(
    (select count(*)::integer from audit.log where event = 'fund_trade' and detail ->> 'fund_id' = (select shut from f)::text),
    0, 'and the closed fund''s refused trade is not audited as a trade'
);
select is(
    (select quantity::numeric from trading.positions
     where account_id = (select account_id from fund.funds where id = (select main from f))
         and security_id = (select id from market.securities where symbol = 'FEMISS')),
    1::numeric, 'the fund holds the 1 FEMISS of the first order only'
);

-- 4. api.strike_nav: FEMISS has no price at or before 6 January 18:00 (its only quote is of 7 January).
select throws_ok($$ select api.strike_nav(null) $$, '22023', 'p_fund_id must not be null', 'strike_nav: 22023 a null fund');
select throws_ok($$ select api.strike_nav((select main from f), '2026-01-06 18:00+00') $$, 'P0002',
    format('fund %s holds FEMISS without a price at or before %s', (select main from f), '2026-01-06 18:00+00'::timestamptz),
    'strike_nav: P0002 a holding without a price at or before p_as_of');
select results_eq(
    $$ select x.last_strike_date, (select count(*)::integer from fund.performance_snapshots as s where s.fund_id = x.id),
              (select count(*)::integer from fund.flows as l where l.fund_id = x.id and l.status = 'pending')
       from fund.funds as x where x.id = (select main from f) $$,
    $$ values ('2026-01-05'::date, 1, 1) $$,
    'the refused strike changed nothing: last struck 5 January, one snapshot, the redemption still pending'
);
-- set_fund_status's TB081 "has pending redemptions" is shadowed: a pending redemption's investor holds shares,
-- so closing the fund meets "shares in issue" first.
select throws_ok($$ select api.set_fund_status((select main from f), 'closed') $$, 'TB081',
    format('fund %s has %s shares in issue', (select main from f), (select shares_outstanding from fund.funds where id = (select main from f))),
    'set_fund_status: a fund with a pending redemption is refused for its shares in issue');
select lives_ok($$ select api.strike_nav((select main from f), '2026-01-07 18:00+00') $$,
    'with the price of 7 January known, the strike of 7 January goes through');

-- 5. api.cancel_fund_flow.
do $$ begin perform api.act_as((select x from u)); end $$;
select throws_ok($$ select api.cancel_fund_flow(null) $$, '22023', 'p_flow_id must not be null',
    'cancel_fund_flow: 22023 a null flow');

-- 6. api.set_fund_strategy: a name of 1 to 100 characters, not blank.
do $$ begin perform api.act_as((select m from u)); end $$;
select throws_ok($$ select api.set_fund_strategy((select main from f), '', 10) $$, '22023',
    'p_name must be 1 to 100 characters, not blank', 'set_fund_strategy: 22023 an empty name');
select throws_ok($$ select api.set_fund_strategy((select main from f), '   ', 10) $$, '22023',
    'p_name must be 1 to 100 characters, not blank', 'set_fund_strategy: 22023 a blank name');
select throws_ok($$ select api.set_fund_strategy((select main from f), repeat('s', 101), 10) $$, '22023',
    'p_name must be 1 to 100 characters, not blank', 'set_fund_strategy: 22023 a name of 101 characters');
select throws_ok($$ select api.set_fund_strategy((select main from f), null, 10) $$, '22023',
    'p_name must be 1 to 100 characters, not blank', 'set_fund_strategy: 22023 a null name');
select is((select count(*)::integer from fund.fund_strategies where fund_id = (select main from f)), 0,
    'no refused allocation was written');
select lives_ok($$ select api.set_fund_strategy((select main from f), repeat('s', 100), 10) $$,
    'a name of 100 characters is allowed');

-- 7. api.create_fund: TB045 when an account the fund opens for the manager (the fund's own, named as the
-- fund, or its fee account, named '<fund> fees') has a name one of the manager's accounts has.
do $$ begin
    perform api.create_account('Clash Fund', 'live');
    perform api.create_account('Clash Two fees', 'live');
end $$;
select throws_ok($$ select api.create_fund('Clash Fund', 'mini') $$, 'TB045',
    format('user %s already has an account named ''Clash Fund''', (select m from u)),
    'create_fund: TB045 the manager has an account named as the fund');
select throws_ok($$ select api.create_fund('clash two', 'mini') $$, 'TB045',
    format('user %s already has an account named ''clash two fees''', (select m from u)),
    'create_fund: TB045 the manager has an account named as the fund''s fee account (case-insensitively)');
select throws_ok($$ select api.create_fund('Long Fund', 'mini', repeat('d', 2001)) $$, '22023',
    'p_description must be at most 2000 characters long', 'create_fund: 22023 a description above 2000 characters');
select is(
    (select count(*)::integer from fund.funds where name in ('Clash Fund', 'clash two', 'Long Fund')), 0,
    'no refused fund was opened'
);
select results_eq(
    $$ select name::text from trading.accounts where user_id = (select m from u) and lower(name) like 'clash%' order by name $$,
    $$ values ('Clash Fund'::text), ('Clash Two fees') $$,
    'and the fund account opened before the fee account''s TB045 is gone with it'
);
select lives_ok($$ select api.create_fund('Long Fund', 'mini', repeat('d', 2000)) $$,
    'a description of 2000 characters is allowed');

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
