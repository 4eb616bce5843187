-- The documented errors of api functions that no other test provoked (found by matching each function's
-- COMMENT ON against the throws_ok of tests/pgtap and the SQLSTATE checks of tests/python): each with its
-- SQLSTATE and its exact message (ids put in with format()), and after a refused call, that it changed
-- nothing. The session is a superuser acting as the users (api.act_as); the administrator-only and
-- anonymous refusals switch to the app login tb_test_app, as test_shared_checks.sql and test_security.sql do.
begin;
select plan(42);

-- A and B are investors; M manages a fund; X invested nothing and deletes their account; D is a fund
-- manager with no fund who deletes theirs.
do $$ begin
    perform api.register_user('de-a@example.com', 'de_a', 'documented errors a 1');
    perform api.register_user('de-b@example.com', 'de_b', 'documented errors b 2');
    perform api.register_user('de-m@example.com', 'de_m', 'documented errors m 3');
    perform api.register_user('de-x@example.com', 'de_x', 'documented errors x 4');
    perform api.register_user('de-d@example.com', 'de_d', 'documented errors d 5');
end $$;
-- No api function grants the fund_manager role (an operator's decision): set as test_fund_errors.sql does.
update auth.users set role = 'fund_manager' where username in ('de_m', 'de_d');
create temporary table u as
select
    (select id from auth.users where username = 'de_a') as a,
    (select id from auth.users where username = 'de_b') as b,
    (select id from auth.users where username = 'de_m') as m,
    (select id from auth.users where username = 'de_x') as x,
    (select id from auth.users where username = 'de_d') as d;
do $$ begin
    perform api.upsert_security('DERR', 'Documented errors test', 'stock');
    perform api.record_price('DERR', 100, now() - interval '1 hour');
    perform api.set_kyc_status((select x from u), 'verified');
end $$;

-- A's paper account (from registration) with a resting buy, a platform connection, a signals strategy.
do $$ begin perform api.act_as((select a from u)); end $$;
create temporary table acc as
select
    (select id from trading.accounts where user_id = (select a from u) and kind = 'paper') as a_paper,
    api.connect_platform('zerodha', 'key 1', 'secret 1') as a_conn,
    api.create_strategy('DE signals', 'signals', '{}') as a_sig;
create temporary table o as
select id from api.execute_paper_trade((select a_paper from acc), 'DERR', 'buy', 2, 'limit', 50, null, 'gtc');
create temporary table a_before as
select id, cash, reserved_cash, status from trading.accounts where user_id = (select a from u);

-- M's fund; X's live account (empty) and D, then both delete their accounts.
do $$ begin perform api.act_as((select m from u)); end $$;
create temporary table f as select api.create_fund('DE Fund', 'mini') as fund;
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table xacc as select api.create_account('DE X live', 'live') as live;
do $$ begin
    perform api.delete_account('documented errors x 4');
    perform api.act_as((select d from u));
    perform api.delete_account('documented errors d 5');
end $$;
select results_eq(
    $$ select u.is_active, a.status::text from auth.users as u inner join trading.accounts as a on a.user_id = u.id
       where a.id = (select live from xacc) $$,
    $$ values (false, 'archived'::text) $$, 'set-up: X is deleted and X''s live account archived'
);

-- 1. api.account_balance: P0002 an unknown account.
do $$ begin perform api.act_as((select a from u)); end $$;
select throws_ok($$ select api.account_balance('00000000-0000-4000-8000-0000000000de') $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000de does not exist', 'account_balance: P0002 an unknown account');

select throws_ok(
    $$ select api.transfer_cash((select a_paper from acc), '00000000-0000-4000-8000-0000000000de', 1) $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000de does not exist', 'transfer_cash: P0002 an unknown account'
);

-- 2. api.account_performance: 22023 an unknown window and an infinite day, P0002 an unknown account.
select throws_ok($$ select * from api.account_performance((select a_paper from acc), 'fortnight') $$, '22023',
    'window ''fortnight'' is not day, week, month, quarter, year or life',
    'account_performance: 22023 an unknown window');
select throws_ok($$ select * from api.account_performance((select a_paper from acc), 'life', 'infinity') $$, '22023',
    'p_as_of must be a date', 'account_performance: 22023 an infinite day');
select throws_ok($$ select * from api.account_performance('00000000-0000-4000-8000-0000000000de') $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000de does not exist', 'account_performance: P0002 an unknown account');

-- 3. api.record_sync: P0002 an unknown connection.
select throws_ok(
    $$ select api.record_sync('00000000-0000-4000-8000-0000000000de', 'manual', 'completed') $$, 'P0002',
    'platform connection 00000000-0000-4000-8000-0000000000de does not exist', 'record_sync: P0002 an unknown connection'
);
select is((select count(*)::integer from auth.sync_logs where user_id = (select a from u)), 0,
    'no refused sync was logged');

-- 4. B touches A's objects: cancel_order, create_risk_rule, reset_paper_account refuse with 42501. As the app
--    login with B's own session token (a superuser acting as B would pass as an administrator).
create temporary table tokens as select api.login('de_b', 'documented errors b 2') as b;
grant select on u, acc, o, tokens to public;
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select b from tokens)); end $$;
select throws_ok($$ select api.cancel_order((select id from o)) $$, '42501',
    format('account %s belongs to another user', (select a_paper from acc)), 'cancel_order: 42501 another user''s order');
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 1000, (select a_paper from acc)) $$, '42501',
    format('account %s belongs to another user', (select a_paper from acc)),
    'create_risk_rule: 42501 for another user''s account');
select throws_ok($$ select api.reset_paper_account((select a_paper from acc)) $$, '42501',
    format('account %s belongs to another user', (select a_paper from acc)),
    'reset_paper_account: 42501 another user''s paper account');
reset session authorization;
select is((select status::text from trading.orders where id = (select id from o)), 'new', 'A''s order is still open');
select is((select count(*)::integer from risk.rules where account_id = (select a_paper from acc)), 0,
    'no rule was added to A''s account');
select is_empty(
    $$ select id, cash, reserved_cash, status from trading.accounts where user_id = (select a from u)
       except select id, cash, reserved_cash, status from a_before $$,
    'A''s accounts are as they were (cash, reservations, status)'
);

-- 5. Deleted users (a context set after the deletion: support staff acting as them, which act_as allows).
--    api.subscribe and api.redeem hold the investor's row first and find X deleted; api.create_fund
--    opens the fund's accounts and finds D deleted.
do $$ begin perform api.act_as((select x from u)); end $$;
select throws_ok($$ select api.subscribe((select fund from f), (select live from xacc), 1000) $$, 'TB004',
    format('user %s is disabled', (select x from u)), 'subscribe: TB004 the investor deleted');
select throws_ok($$ select api.redeem((select fund from f), (select live from xacc), 1) $$, 'TB004',
    format('user %s is disabled', (select x from u)), 'redeem: TB004 the investor deleted');
select is((select count(*)::integer from fund.flows where user_id = (select x from u)), 0,
    'no flow was requested for X');
do $$ begin perform api.act_as((select d from u)); end $$;
select throws_ok($$ select api.create_fund('DE Late Fund', 'mini') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'create_fund: TB004 the manager deleted');
select results_eq(
    $$ select (select count(*)::integer from fund.funds where name = 'DE Late Fund'),
              (select count(*)::integer from trading.accounts where user_id = (select d from u) and status <> 'archived') $$,
    $$ values (0, 0) $$, 'no fund and no active account of D''s was made'
);

-- 6. Administrator-only corporate actions: 42501 for an app login, P0002 an unknown symbol.
do $$ begin perform app.set_context(null, null, null); end $$;
set local session authorization tb_test_app;
select throws_ok($$ select api.apply_split('DERR', 2, 1, current_date) $$, '42501',
    'only an administrator may apply a split', 'apply_split: 42501 for a non-admin');
select throws_ok($$ select api.apply_dividend('DERR', 1, current_date, current_date) $$, '42501',
    'only an administrator may apply a dividend', 'apply_dividend: 42501 for a non-admin');
select throws_ok($$ select api.upsert_security('DNEW', 'Documented errors new', 'stock') $$, '42501',
    'only an administrator may define security ''DNEW''', 'upsert_security: 42501 for a non-admin');
reset session authorization;
select throws_ok($$ select api.apply_dividend('NOPE', 1, current_date, current_date) $$, 'P0002',
    'security ''NOPE'' does not exist', 'apply_dividend: P0002 an unknown symbol');
select results_eq(
    $$ select (select count(*)::integer from trading.corporate_actions
               where security_id = (select id from market.securities where symbol = 'DERR')),
              (select count(*)::integer from market.securities where symbol = 'DNEW') $$,
    $$ values (0, 0) $$, 'no corporate action was recorded and no security defined'
);
select results_eq(
    $$ select quantity::numeric, limit_price::numeric from trading.orders where id = (select id from o) $$,
    $$ values (2::numeric, 50::numeric) $$, 'A''s resting order was not split'
);

-- 7. Anonymous app logins: TB008 from record_signal, update_strategy, template_usage_count.
set local session authorization tb_test_app;
select throws_ok($$ select api.record_signal((select a_sig from acc), 'DERR', 'buy') $$, 'TB008',
    'this call needs an authenticated user', 'record_signal: TB008 anonymous');
select throws_ok($$ select api.update_strategy((select a_sig from acc), p_name => 'renamed') $$, 'TB008',
    'this call needs an authenticated user', 'update_strategy: TB008 anonymous');
select throws_ok(
    $$ select api.template_usage_count((select id from trading.account_templates order by name limit 1)) $$, 'TB008',
    'this call needs an authenticated user', 'template_usage_count: TB008 anonymous'
);
reset session authorization;
select results_eq(
    $$ select name, (select count(*)::integer from strategy.signals where strategy_id = s.id) from strategy.strategies as s
       where s.id = (select a_sig from acc) $$,
    $$ values ('DE signals'::text, 0) $$, 'A''s strategy keeps its name and has no signal'
);

-- 8. A key without the read scope: TB010 from template_usage_count.
create temporary table tok as select api.login('de_a', 'documented errors a 1') as session;
do $$ begin perform api.authenticate((select session from tok)); end $$;
alter table tok add column trade_key text;
update tok set trade_key = api.create_api_key('DE trade only', '{"read": false, "trade": true}');
do $$ begin perform api.authenticate((select trade_key from tok)); end $$;
select throws_ok(
    $$ select api.template_usage_count((select id from trading.account_templates order by name limit 1)) $$, 'TB010',
    'the api key that authenticated this transaction lacks the read scope',
    'template_usage_count: TB010 for a key without read'
);
do $$ begin perform api.authenticate((select session from tok)); end $$;
select lives_ok(
    $$ select api.template_usage_count((select id from trading.account_templates order by name limit 1)) $$,
    'template_usage_count: a session (every scope) may call it'
);

-- 9. api.apply_split's documented set-aside for TB040 (not raised: the holder is set aside): a short in a
--    non-fractionable security owes cash in lieu of the half unit a 3-for-2 split makes of 3, and has no cash
--    to pay it (the short's proceeds withdrawn); A's long holding of the same security splits.
do $$ begin
    perform api.act_as((select a from u));
    perform api.upsert_security('DWHL', 'Documented errors whole units', 'stock', null, 'USD', false);
    perform api.record_price('DWHL', 100, now() - interval '1 hour');
    perform api.execute_paper_trade((select a_paper from acc), 'DWHL', 'buy', 3);
end $$;
create temporary table sh as
select api.create_account('DE short', 'paper', null, 1000, 'USD', '{"allow_short": true}') as acct;
do $$ begin
    perform api.execute_paper_trade((select acct from sh), 'DWHL', 'sell', 3);
    perform api.withdraw((select acct from sh), 1300);
end $$;
select is((select cash::numeric from trading.accounts where id = (select acct from sh)), 0::numeric,
    'set-up: the short holds -3 DWHL and no cash');
select is(api.apply_split('DWHL', 3, 2, current_date), 1, 'apply_split: the long holder splits, the short does not');
select results_eq(
    $$ select severity, message like format('set aside by the 3-for-2 split of DWHL (its DWHL position was left '
           || 'unsplit and its open orders canceled): account %s has cash %%(SQLSTATE TB040)', (select acct from sh))
       from risk.alerts where account_id = (select acct from sh) $$,
    $$ values ('critical', true) $$, 'apply_split: the short is set aside for TB040 with a critical alert'
);
select is((select quantity::numeric from trading.positions where account_id = (select acct from sh)), -3::numeric,
    'the short''s position is left unsplit');

-- 10. Codes raised by the shared helpers an api function calls (the gate tests/python/test_error_docs.py
--     finds them): api.withdraw P0002 an unknown account (trading.authorized_account); api.end_trading_session
--     42501 another user's account (trading.authorized_account), as the app login with B's token;
--     api.record_price 42501 for a user who is not an administrator (app.require_admin).
do $$ begin perform api.act_as((select a from u)); end $$;
create temporary table ts as select api.start_trading_session((select a_paper from acc)) as id;
create temporary table a_cash as select id, cash, reserved_cash from trading.accounts where user_id = (select a from u);
select throws_ok($$ select api.withdraw('00000000-0000-4000-8000-0000000000de', 1) $$, 'P0002',
    'account 00000000-0000-4000-8000-0000000000de does not exist', 'withdraw: P0002 an unknown account');
grant select on ts to public;
set local session authorization tb_test_app;
do $$ begin perform api.authenticate((select b from tokens)); end $$;
select throws_ok($$ select api.end_trading_session((select a_paper from acc)) $$, '42501',
    format('account %s belongs to another user', (select a_paper from acc)),
    'end_trading_session: 42501 another user''s account');
select throws_ok($$ select api.record_price('DERR', 101) $$, '42501',
    'only an administrator may record prices (DERR)', 'record_price: 42501 for a user who is not an administrator');
reset session authorization;
select results_eq(
    $$ select ended_at is null, orders_count from trading.trading_sessions where id = (select id from ts) $$,
    $$ values (true, null::integer) $$, 'A''s trading session is still open'
);
select is(
    (select price::numeric from market.quotes where security_id = (select id from market.securities where symbol = 'DERR')),
    100::numeric, 'the DERR quote is still 100'
);
select is_empty(
    $$ select id, cash, reserved_cash from trading.accounts where user_id = (select a from u)
       except select id, cash, reserved_cash from a_cash $$,
    'A''s cash is as it was (no posting)'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
