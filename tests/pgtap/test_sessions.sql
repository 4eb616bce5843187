-- Trading sessions (orders, realized P&L and drawdown while open) and daily account snapshots.
begin;
select plan(20);

insert into auth.users (email, username) values ('ses-a@example.com', 'ses_a');
do $$ begin perform api.act_as((select id from auth.users where username = 'ses_a')); end $$;
create temporary table t as
select
    api.create_account('Sessions', 'paper', null, 100000) as acct,
    (select id from trading.accounts where name = 'Paper Trading'
        and user_id = (select id from auth.users where username = 'ses_a')) as main;
do $$ begin perform api.upsert_security('SES', 'Session test', 'stock'); end $$;
create temporary table clock (n integer);
insert into clock values (0);
create function pg_temp.price(p_price numeric) returns void language sql as $f$
    update clock set n = n + 1;
    select api.record_price('SES', p_price, now() + make_interval(mins => (select n from clock)));
$f$;
create function pg_temp.trade(p_side text, p_quantity numeric) returns text language sql as $f$
    select o.status from api.execute_paper_trade((select acct from t), 'SES', p_side, p_quantity) as o
$f$;

-- Sessions.
create temporary table s as select api.start_trading_session((select acct from t)) as id;
select isnt((select id from s), null, 'a session starts');
select throws_ok($$ select api.start_trading_session((select acct from t)) $$, 'TB046', null,
    'one open session per account');
select lives_ok($$ select api.start_trading_session((select main from t)) $$, 'another account has its own');

-- Buy 10 @ 100, sell 4 @ 110 (+40), sell 3 @ 90 (-30): cumulative 40 then 10, so the drawdown is 30.
do $$ begin perform pg_temp.price(100); perform pg_temp.trade('buy', 10); end $$;
do $$ begin perform pg_temp.price(110); perform pg_temp.trade('sell', 4); end $$;
do $$ begin perform pg_temp.price(90); perform pg_temp.trade('sell', 3); end $$;

create temporary table ended as select * from api.end_trading_session((select acct from t));
select results_eq(
    $$ select orders_count, filled_orders, realized_pnl::numeric, max_drawdown::numeric, cash_at_start::numeric,
              cash_at_end::numeric from ended $$,
    $$ values (3, 3, 10.0, 30.0, 100000.0, 99710.0) $$,
    'an ended session counts orders, realized P&L and the drawdown of realized P&L'
);
select is((select ended_at is not null from trading.trading_sessions where id = (select id from s)), true,
    'the session is closed');
select throws_ok($$ select api.end_trading_session((select acct from t)) $$, 'P0002', null,
    'ending without an open session');
select lives_ok($$ select api.start_trading_session((select acct from t)) $$, 'a new session can start after the end');
select results_eq(
    $$ select orders_count, realized_pnl::numeric, max_drawdown::numeric from api.end_trading_session((select main from t)) $$,
    $$ values (0, 0.0, 0.0) $$,
    'a session without trades has zero results'
);
select is((select count(*) from api.trading_sessions), 3::bigint, 'api.trading_sessions lists your sessions');
update trading.accounts set status = 'suspended' where id = (select main from t);
select throws_ok($$ select api.start_trading_session((select main from t)) $$, 'TB043', null,
    'no session on an inactive account');
select throws_ok($$ select api.start_trading_session(gen_random_uuid()) $$, 'P0002', null, 'unknown account');
select throws_ok($$ select api.end_trading_session(null) $$, '22023', null, 'null account');
select throws_ok($$ select api.start_trading_session(trading.system_account('fee_income', 'USD')) $$, '22023', null,
    'no session on a system account');

-- Snapshots: cash + 3 shares at the latest quote (90), in the account currency.
select is(api.snapshot_accounts(current_date), 2, 'every non-archived user account is snapshotted');
select results_eq(
    $$ select cash::numeric, positions_value::numeric, equity::numeric from api.account_snapshots
       where account_id = (select acct from t) and snapshot_date = current_date $$,
    $$ values (99710.0, 270.0, 99980.0) $$,
    'equity is cash plus positions at the latest quote'
);
do $$ begin perform pg_temp.price(95); end $$;
select is(api.snapshot_accounts(current_date), 2, 'a rerun for the same day');
select results_eq(
    $$ select count(*), max(equity)::numeric from api.account_snapshots where account_id = (select acct from t) $$,
    $$ values (1::bigint, 99995.0) $$,
    'replaces that day''s snapshot'
);
select throws_ok($$ select api.snapshot_accounts(current_date + 1) $$, '22023', null, 'no snapshots of the future');
select throws_ok($$ select api.snapshot_accounts(null) $$, '22023', null, 'the day is required');

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');

select * from finish();
rollback;
