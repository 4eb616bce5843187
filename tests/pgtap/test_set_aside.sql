-- One account's data never blocks anyone else (§5). A fill never takes a position through zero: a
-- resting order that would is filled to zero (or to what other open orders leave) and the rest canceled
-- with a reason. Matching on a price or bars, a split, a dividend, a snapshot and an expiry set aside the
-- order or account whose data fails with a data exception (22xxx), a check violation (23514) or, for
-- splits and dividends, a charge it cannot pay (TB040) (snapshots: also a missing FX rate, P0002), and the
-- rest proceeds; other errors (serialization failures, unique violations, internal errors) still fail the
-- call. Failures are provoked with a test trigger that raises a chosen SQLSTATE for one account only.
begin;
select plan(72);

create temporary table acct (name text primary key, id uuid, user_id uuid);
create function pg_temp.acct(p_name text) returns uuid language sql as $f$ select id from acct where name = p_name $f$;
-- A user with an account: the default paper account, or one with the given settings.
create function pg_temp.open(p_name text, p_settings jsonb default null) returns uuid language plpgsql as $f$
declare
    v_user uuid;
    v_account uuid;
begin
    insert into auth.users (email, username) values (p_name || '@example.com', p_name) returning id into v_user;
    perform api.act_as(v_user);
    if p_settings is null then
        select a.id into v_account from trading.accounts as a where a.user_id = v_user;
    else
        v_account := api.create_account(p_name, 'paper', null, 100000, 'USD', p_settings);
    end if;
    insert into acct values (p_name, v_account, v_user);
    return v_account;
end
$f$;
create function pg_temp.trade(
    p_name text, p_symbol text, p_side text, p_quantity numeric, p_type text default 'market',
    p_limit numeric default null, p_stop numeric default null, p_tif text default 'gtc'
) returns api.orders language plpgsql as $f$
begin
    perform api.act_as((select user_id from acct where name = p_name));
    return api.execute_paper_trade(pg_temp.acct(p_name), p_symbol, p_side, p_quantity, p_type, p_limit, p_stop, p_tif);
end
$f$;
create temporary table o (name text primary key, id uuid);
create function pg_temp.keep(p_name text, p_order api.orders) returns text language sql as $f$
    insert into o values (p_name, p_order.id) returning p_order.status::text
$f$;
create function pg_temp.o(p_name text) returns uuid language sql as $f$ select id from o where name = p_name $f$;
create function pg_temp.position(p_name text, p_symbol text) returns table (quantity numeric, reserved numeric)
language sql as $f$
    select p.quantity, p.reserved_quantity from trading.positions as p
    where p.account_id = pg_temp.acct(p_name) and p.security_id = (select id from market.securities where symbol = p_symbol)
$f$;

-- The test's failure: a row trigger that raises test.errcode (when set) for the account in test.bad_account.
create function pg_temp.fail_for_bad_account() returns trigger language plpgsql as $f$
declare
    v_status text;
begin
    if tg_table_name = 'orders' then
        v_status := to_jsonb(new) ->> 'status';
    end if;
    if coalesce(current_setting('test.errcode', true), '') <> ''
        and new.account_id::text = current_setting('test.bad_account', true)
        and (v_status is null or v_status = any(string_to_array(current_setting('test.statuses', true), ',')))
    then
        raise exception 'test failure for account %', new.account_id using errcode = current_setting('test.errcode');
    end if;
    return new;
end
$f$;
create trigger test_fail before insert on trading.fills for each row execute function pg_temp.fail_for_bad_account();
create trigger test_fail before update on trading.orders for each row execute function pg_temp.fail_for_bad_account();
create trigger test_fail before update on trading.lots for each row execute function pg_temp.fail_for_bad_account();
create trigger test_fail before insert or update on trading.account_snapshots
for each row execute function pg_temp.fail_for_bad_account();
create function pg_temp.fail(p_errcode text, p_account text default null, p_statuses text default '') returns void
language sql as $f$
    select set_config('test.errcode', p_errcode, true), set_config('test.bad_account', coalesce(pg_temp.acct(p_account)::text, ''), true),
        set_config('test.statuses', p_statuses, true)
$f$;
do $$ begin perform pg_temp.fail(''); end $$;

-- 1. The issue's case: FLIP at 100; sell 10 stop 95 gtc (a short sale while flat), buy 8, sell 8 limit 200
--    gtc (holds the 8 units). At 94 the stop would take +8 through zero into units the limit holds: it fills
--    nothing and is canceled; the tick goes through for everyone (before: 23514 for every tick <= 95).
do $$ begin perform api.upsert_security('FLIP', 'Flips', 'stock'); end $$;
do $$ begin perform api.record_price('FLIP', 100, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.open('flip_a', '{"allow_short": true}'); end $$;
do $$ begin perform pg_temp.keep('a_stop', pg_temp.trade('flip_a', 'FLIP', 'sell', 10, 'stop', null, 95)); end $$;
do $$ begin perform pg_temp.trade('flip_a', 'FLIP', 'buy', 8); end $$;
do $$ begin perform pg_temp.keep('a_limit', pg_temp.trade('flip_a', 'FLIP', 'sell', 8, 'limit', 200)); end $$;
-- B: the same without the limit order: the stop fills the 8 to zero (at 94), the other 2 are canceled.
do $$ begin perform pg_temp.open('flip_b', '{"allow_short": true}'); end $$;
do $$ begin perform pg_temp.keep('b_stop', pg_temp.trade('flip_b', 'FLIP', 'sell', 10, 'stop', null, 95)); end $$;
do $$ begin perform pg_temp.trade('flip_b', 'FLIP', 'buy', 8); end $$;
-- C: +10 with 8 held by a limit order: the stop (5) fills the 2 left and the other 3 are canceled.
do $$ begin perform pg_temp.open('flip_c', '{"allow_short": true}'); end $$;
do $$ begin perform pg_temp.keep('c_stop', pg_temp.trade('flip_c', 'FLIP', 'sell', 5, 'stop', null, 95)); end $$;
do $$ begin perform pg_temp.trade('flip_c', 'FLIP', 'buy', 10); end $$;
do $$ begin perform pg_temp.keep('c_limit', pg_temp.trade('flip_c', 'FLIP', 'sell', 8, 'limit', 200)); end $$;
-- D: a buy limit placed flat, then a short of 8: at 94 the buy covers the 8 and the other 2 are canceled.
do $$ begin perform pg_temp.open('flip_d', '{"allow_short": true}'); end $$;
do $$ begin perform pg_temp.keep('d_buy', pg_temp.trade('flip_d', 'FLIP', 'buy', 10, 'limit', 96)); end $$;
do $$ begin perform pg_temp.trade('flip_d', 'FLIP', 'sell', 8); end $$;
-- E: an ordinary buy limit of someone else in the same symbol.
do $$ begin perform pg_temp.open('flip_e'); end $$;
do $$ begin perform pg_temp.keep('e_buy', pg_temp.trade('flip_e', 'FLIP', 'buy', 5, 'limit', 96)); end $$;

select is(api.record_price('FLIP', 94, now() + interval '1 second'), 4, 'the tick at 94 goes through: B, C, D and E fill');
select is((select price::numeric from market.quotes where security_id = (select id from market.securities where symbol = 'FLIP')),
    94::numeric, 'the quote moved to 94 for everyone');
select results_eq(
    $$ select status::text, filled_quantity::numeric, reserved_cash::numeric, cancel_reason from trading.orders where id = pg_temp.o('a_stop') $$,
    $$ values ('canceled', 0::numeric, 0::numeric, 'the order would take the FLIP position of 8 through zero: 0 filled, the rest canceled') $$,
    'A: the stop fills nothing and is canceled with the reason'
);
select results_eq(
    $$ select status::text, reserved_quantity::numeric from trading.orders where id = pg_temp.o('a_limit') $$,
    $$ values ('new', 8::numeric) $$, 'A: the limit order still holds its 8 units'
);
select results_eq($$ select * from pg_temp.position('flip_a', 'FLIP') $$, $$ values (8::numeric, 8::numeric) $$,
    'A: the position is still +8, all held');
select is((select reserved_cash::numeric from trading.accounts where id = pg_temp.acct('flip_a')), 0::numeric,
    'A: the stop''s cash reservation is released');
select results_eq(
    $$ select kind::text, level::text, message, data ->> 'order_id' from notify.events
       where user_id = (select user_id from acct where name = 'flip_a') and kind = 'order_canceled' $$,
    $$ values ('order_canceled', 'warning', 'the order would take the FLIP position of 8 through zero: 0 filled, the rest canceled',
               pg_temp.o('a_stop')::text) $$,
    'A: the owner is told'
);
select results_eq(
    $$ select status::text, filled_quantity::numeric, average_fill_price::numeric, cancel_reason from trading.orders where id = pg_temp.o('b_stop') $$,
    $$ values ('canceled', 8::numeric, 94::numeric, 'the order would take the FLIP position of 8 through zero: 8 filled, the rest canceled') $$,
    'B: the stop fills 8 to zero at 94 and the other 2 are canceled'
);
select results_eq(
    $$ select p.quantity::numeric, p.cost_basis::numeric, p.realized_pnl::numeric, p.reserved_quantity::numeric
       from trading.positions as p where p.account_id = pg_temp.acct('flip_b') $$,
    $$ values (0::numeric, 0::numeric, -48::numeric, 0::numeric) $$,
    'B: flat, not -2 (8 bought at 100, sold at 94)'
);
select is((select count(*)::integer from trading.lots where account_id = pg_temp.acct('flip_b') and quantity < 0), 0,
    'B: no short lot was opened');
select results_eq(
    $$ select status::text, filled_quantity::numeric, cancel_reason from trading.orders where id = pg_temp.o('c_stop') $$,
    $$ values ('canceled', 2::numeric,
               'the order would take units of the FLIP position of 10 that other open orders hold (8): 2 filled, the rest canceled') $$,
    'C: the stop fills the 2 units no other order holds, the rest is canceled'
);
select results_eq($$ select * from pg_temp.position('flip_c', 'FLIP') $$, $$ values (8::numeric, 8::numeric) $$,
    'C: +8 left, all held by the limit order');
select results_eq(
    $$ select status::text, filled_quantity::numeric, cancel_reason from trading.orders where id = pg_temp.o('d_buy') $$,
    $$ values ('canceled', 8::numeric, 'the order would take the FLIP position of -8 through zero: 8 filled, the rest canceled') $$,
    'D: the buy covers the short of 8 and the other 2 are canceled'
);
select results_eq($$ select * from pg_temp.position('flip_d', 'FLIP') $$, $$ values (0::numeric, 0::numeric) $$, 'D: flat');
select results_eq(
    $$ select status::text, filled_quantity::numeric, average_fill_price::numeric from trading.orders where id = pg_temp.o('e_buy') $$,
    $$ values ('filled', 5::numeric, 94::numeric) $$, 'E: an unrelated order filled in the same tick'
);
select is_empty('select * from ops.verify_invariants()', 'the books are consistent after the through-zero fills');

-- 2. Matching sets aside one account's order when its data fails, and fills the others.
do $$ begin perform api.upsert_security('ISO', 'Isolation', 'stock'); end $$;
do $$ begin perform api.record_price('ISO', 60, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.open('iso_good'); end $$;
do $$ begin perform pg_temp.open('iso_bad'); end $$;
do $$ begin perform pg_temp.keep('good_1', pg_temp.trade('iso_good', 'ISO', 'buy', 5, 'limit', 50)); end $$;
do $$ begin perform pg_temp.keep('bad_1', pg_temp.trade('iso_bad', 'ISO', 'buy', 5, 'limit', 50)); end $$;
do $$ begin perform pg_temp.fail('23514', 'iso_bad'); end $$;
select is(api.record_price('ISO', 49, now() + interval '2 seconds'), 1, 'a check violation of one account: the tick fills the other');
select results_eq(
    $$ select status::text, filled_quantity::numeric from trading.orders where id = pg_temp.o('good_1') $$,
    $$ values ('filled', 5::numeric) $$, 'the other account''s order filled'
);
select results_eq(
    $$ select status::text, filled_quantity::numeric, reserved_cash::numeric, cancel_reason from trading.orders where id = pg_temp.o('bad_1') $$,
    $$ values ('canceled', 0::numeric, 0::numeric,
               format('set aside by matching ISO at 49: test failure for account %s (SQLSTATE 23514)', pg_temp.acct('iso_bad'))) $$,
    'the failing order is canceled with the error as its reason, its reservation released'
);
select results_eq(
    $$ select severity, message from risk.alerts where account_id = pg_temp.acct('iso_bad') $$,
    $$ values ('warning', format('set aside by matching ISO at 49: test failure for account %s (SQLSTATE 23514)', pg_temp.acct('iso_bad'))) $$,
    'a risk alert records it'
);
select is(
    (select count(*)::integer from notify.events
     where user_id = (select user_id from acct where name = 'iso_bad') and kind = 'order_canceled' and data ->> 'order_id' = pg_temp.o('bad_1')::text),
    1, 'the owner is notified of the cancel'
);
select is((select reserved_cash::numeric from trading.accounts where id = pg_temp.acct('iso_bad')), 0::numeric,
    'the set-aside account reserves nothing');

-- A data exception (numeric overflow) is set aside the same way.
do $$ begin perform pg_temp.fail(''); end $$;
do $$ begin perform pg_temp.keep('good_2', pg_temp.trade('iso_good', 'ISO', 'buy', 5, 'limit', 45)); end $$;
do $$ begin perform pg_temp.keep('bad_2', pg_temp.trade('iso_bad', 'ISO', 'buy', 5, 'limit', 45)); end $$;
do $$ begin perform pg_temp.fail('22003', 'iso_bad'); end $$;
select is(api.record_price('ISO', 44, now() + interval '3 seconds'), 1, 'a data exception of one account: the tick fills the other');
select results_eq(
    $$ select (select status::text from trading.orders where id = pg_temp.o('good_2')), status::text, cancel_reason like '%(SQLSTATE 22003)'
       from trading.orders where id = pg_temp.o('bad_2') $$,
    $$ values ('filled', 'canceled', true) $$, 'the overflow is recorded as the reason'
);

-- Errors that are not one account's data fail the tick (nothing changes): a serialization failure, a
-- unique violation (a bug), an internal error.
do $$ begin perform pg_temp.fail(''); end $$;
do $$ begin perform pg_temp.keep('good_3', pg_temp.trade('iso_good', 'ISO', 'buy', 5, 'limit', 40)); end $$;
do $$ begin perform pg_temp.keep('bad_3', pg_temp.trade('iso_bad', 'ISO', 'buy', 5, 'limit', 40)); end $$;
do $$ begin perform pg_temp.fail('40001', 'iso_bad'); end $$;
select throws_ok($$ select api.record_price('ISO', 39, now() + interval '4 seconds') $$, '40001', null,
    'a serialization failure is not set aside');
do $$ begin perform pg_temp.fail('23505', 'iso_bad'); end $$;
select throws_ok($$ select api.record_price('ISO', 39, now() + interval '4 seconds') $$, '23505', null,
    'a unique violation (a bug) is not set aside');
do $$ begin perform pg_temp.fail('XX000', 'iso_bad'); end $$;
select throws_ok($$ select api.record_price('ISO', 39, now() + interval '4 seconds') $$, 'XX000', null,
    'an internal error is not set aside');
select results_eq(
    $$ select status::text from trading.orders where id in (pg_temp.o('good_3'), pg_temp.o('bad_3')) $$,
    $$ values ('new'), ('new') $$, 'the failed ticks changed nothing'
);

-- When canceling the order fails too, the order stays open, a critical alert says so, the tick goes on.
do $$ begin perform pg_temp.fail('23514', 'iso_bad', 'partially_filled,filled,canceled'); end $$;
select is(api.record_price('ISO', 39, now() + interval '5 seconds'), 1, 'the tick fills the other account');
select results_eq(
    $$ select status::text, reserved_cash::numeric > 0 from trading.orders where id = pg_temp.o('bad_3') $$,
    $$ values ('new', true) $$, 'the order that could not be canceled stays open with its reservation'
);
select results_eq(
    $$ select severity, message like '%canceling it failed too%' from risk.alerts
       where account_id = pg_temp.acct('iso_bad') order by id desc limit 1 $$,
    $$ values ('critical', true) $$, 'a critical alert says it could not be canceled'
);
select is(
    (select count(*)::integer from notify.events
     where user_id = (select user_id from acct where name = 'iso_bad') and kind = 'risk_alert' and level = 'critical'),
    1, 'and the owner is notified'
);
select is(api.record_price('ISO', 38, now() + interval '6 seconds'), 0, 'the next tick sets it aside again');
select results_eq(
    $$ select count(*)::integer from risk.alerts
       where account_id = pg_temp.acct('iso_bad') and message like '%canceling it failed too%' $$,
    $$ values (1) $$, 'a failure that repeats on every tick is alerted once while its alert is unacknowledged'
);
select is(
    (select count(*)::integer from notify.events
     where user_id = (select user_id from acct where name = 'iso_bad') and kind = 'risk_alert' and level = 'critical'),
    1, 'and notified once'
);

-- 3. Bars (api.match_resting_orders) set aside the same way; once the failure is gone, the order fills.
do $$ begin perform pg_temp.fail(''); end $$;
do $$ begin perform pg_temp.keep('good_4', pg_temp.trade('iso_good', 'ISO', 'buy', 5, 'limit', 35)); end $$;
do $$ begin perform pg_temp.keep('bad_4', pg_temp.trade('iso_bad', 'ISO', 'buy', 5, 'limit', 35)); end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close, volume)
select id, '1d', now() + interval '1 day', 34, 36, 30, 31, 1000 from market.securities where symbol = 'ISO';
do $$ begin perform pg_temp.fail('23514', 'iso_bad', 'partially_filled,filled'); end $$;
select is(api.match_resting_orders('ISO', '1d'), 1, 'a bar fills the other account''s order');
select results_eq(
    $$ select status::text from trading.orders where id = pg_temp.o('good_4')
       union all select status::text from trading.orders where id = pg_temp.o('bad_3')
       union all select status::text from trading.orders where id = pg_temp.o('bad_4') $$,
    $$ values ('filled'), ('canceled'), ('canceled') $$,
    'bars: the failing account''s orders are canceled, the other''s filled'
);
do $$ begin perform pg_temp.fail(''); end $$;

-- 4. Expiry: one order's failure does not keep the others from expiring.
do $$ begin perform pg_temp.keep('good_day', pg_temp.trade('iso_good', 'ISO', 'buy', 1, 'limit', 10, null, 'day')); end $$;
do $$ begin perform pg_temp.keep('bad_day', pg_temp.trade('iso_bad', 'ISO', 'buy', 1, 'limit', 10, null, 'day')); end $$;
-- Their UTC day is over (as if placed yesterday).
update trading.orders set expires_at = now() - interval '1 second' where id in (pg_temp.o('good_day'), pg_temp.o('bad_day'));
do $$ begin perform pg_temp.fail('23514', 'iso_bad', 'expired'); end $$;
select is(api.expire_orders(), 1, 'the other day order expires');
select results_eq(
    $$ select status::text, cancel_reason from trading.orders where id in (pg_temp.o('good_day'), pg_temp.o('bad_day')) order by status $$,
    $$ values ('canceled', format('set aside by the expiry of day orders: test failure for account %s (SQLSTATE 23514)', pg_temp.acct('iso_bad'))),
              ('expired', 'day order expired at the end of its UTC day') $$,
    'the failing one is canceled with the reason instead'
);
do $$ begin perform pg_temp.fail(''); end $$;
select is_empty('select * from ops.verify_invariants()', 'the books are consistent after the set-asides');

-- 5. Snapshot: one account's figures fail (a value too large, 22003), the others' rows are written.
do $$ begin perform pg_temp.fail('22003', 'iso_bad'); end $$;
select is(api.snapshot_accounts(current_date),
    (select count(*)::integer - 1 from trading.accounts where kind <> 'system' and status <> 'archived'),
    'every account but the failing one has its snapshot');
select is((select count(*)::integer from trading.account_snapshots where account_id = pg_temp.acct('iso_bad')), 0,
    'the failing account has no row for the day');
select results_eq(
    $$ select severity, message from risk.alerts where account_id = pg_temp.acct('iso_bad') order by id desc limit 1 $$,
    $$ values ('critical', format('set aside by the snapshot of %s (no row for the day): test failure for account %s (SQLSTATE 22003)',
                                  current_date, pg_temp.acct('iso_bad'))) $$,
    'a critical alert records it'
);
do $$ begin perform pg_temp.fail(''); end $$;
-- A missing FX rate for one account's currency (P0002 from market.convert) is set aside too.
insert into market.fx_rates (base_currency, quote_currency, as_of, rate) values ('EUR', 'USD', now() - interval '1 day', 1.25);
insert into auth.users (email, username) values ('fx_eur@example.com', 'fx_eur');
do $$ begin perform api.act_as((select id from auth.users where username = 'fx_eur')); end $$;
insert into acct select 'fx_eur', api.create_account('Euro', 'paper', null, 10000, 'EUR'), id from auth.users where username = 'fx_eur';
select is(pg_temp.keep('eur_buy', pg_temp.trade('fx_eur', 'ISO', 'buy', 1)), 'filled', 'a EUR account buys a USD security');
delete from market.fx_rates where base_currency = 'EUR';
select is(api.snapshot_accounts(current_date),
    (select count(*)::integer - 1 from trading.accounts where kind <> 'system' and status <> 'archived'),
    'without the EUR rate, every other account still has its snapshot');
select results_eq(
    $$ select severity, message like '%(SQLSTATE P0002)' from risk.alerts where account_id = pg_temp.acct('fx_eur') $$,
    $$ values ('critical', true) $$, 'the EUR account is set aside with the missing rate as its reason'
);
select is((select count(*)::integer from trading.account_snapshots where account_id = pg_temp.acct('iso_bad')), 1,
    'the account set aside before has its row now');

-- 6. Dividend: a short holder who cannot pay its charge (TB040) is set aside; the long holder is paid.
do $$ begin perform api.upsert_security('DIV', 'Dividends', 'stock'); end $$;
do $$ begin perform api.record_price('DIV', 10, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.open('div_long'); end $$;
do $$ begin perform pg_temp.open('div_short', '{"allow_short": true}'); end $$;
do $$ begin perform pg_temp.trade('div_long', 'DIV', 'buy', 10); end $$;
do $$ begin perform pg_temp.trade('div_short', 'DIV', 'sell', 10); end $$;
-- 20000 per share: the long account receives 200000; the short one owes 200000 and has 100100.
select is(api.apply_dividend('DIV', 20000, current_date + 1, current_date + 2), 1, 'the long holder is paid');
select is((select cash::numeric from trading.accounts where id = pg_temp.acct('div_long')), 299900::numeric,
    'the long holder received 10 x 20000');
select is((select cash::numeric from trading.accounts where id = pg_temp.acct('div_short')), 100100::numeric,
    'the short holder was not charged');
select results_eq(
    $$ select severity, message like 'set aside by the DIV dividend of 20000 per share (ex %): -10.0000000000 units of record were not paid or charged: %(SQLSTATE TB040)'
       from risk.alerts where account_id = pg_temp.acct('div_short') $$,
    $$ values ('critical', true) $$, 'a critical alert names the dividend, the units and the error'
);
select is((select count(*)::integer from trading.position_adjustments where account_id = pg_temp.acct('div_short')), 0,
    'nothing was recorded for the short holder');

-- 7. Split: one user holding 0.00001 SPLT no longer blocks a 1-for-1,000,000 reverse split for everyone
--    (before: 23514). The lot would scale to 0.00000000001 units, below the 10 decimals a quantity has:
--    it is paid out as cash in lieu (at the split-adjusted price) before the split.
do $$ begin perform api.upsert_security('SPLT', 'Split me', 'stock'); end $$;
do $$ begin perform api.record_price('SPLT', 0.5, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.open('splt_tiny'); end $$;
do $$ begin perform pg_temp.open('splt_big'); end $$;
do $$ begin perform pg_temp.trade('splt_tiny', 'SPLT', 'buy', 0.00001); end $$;
do $$ begin perform pg_temp.keep('tiny_sell', pg_temp.trade('splt_tiny', 'SPLT', 'sell', 0.00001, 'limit', 0.9)); end $$;
do $$ begin perform pg_temp.trade('splt_big', 'SPLT', 'buy', 5); end $$;
do $$ begin perform pg_temp.keep('big_sell', pg_temp.trade('splt_big', 'SPLT', 'sell', 5, 'limit', 0.9)); end $$;
do $$ begin perform api.record_price('SPLT', 0.6, now() + interval '6 seconds'); end $$;
select is(api.apply_split('SPLT', 1, 1000000, current_date), 2, 'the reverse split adjusts both holders');
select is((select price::numeric from market.quotes where security_id = (select id from market.securities where symbol = 'SPLT')),
    600000::numeric, 'the quote is split-adjusted');
select results_eq(
    $$ select p.quantity::numeric, p.cost_basis::numeric, p.realized_pnl::numeric, p.reserved_quantity::numeric
       from trading.positions as p where p.account_id = pg_temp.acct('splt_tiny') $$,
    $$ values (0::numeric, 0::numeric, 0.000001::numeric, 0::numeric) $$,
    'the tiny holder is flat: 0.00001 x 0.6 = 0.000006 in lieu of a lot that cost 0.000005'
);
select results_eq(
    $$ select kind, quantity::numeric, cash::numeric from trading.position_adjustments
       where account_id = pg_temp.acct('splt_tiny') order by id $$,
    $$ values ('cash_in_lieu'::text, -0.00001::numeric, 0.000006::numeric), ('split', 0, 0) $$,
    'the cash in lieu (in pre-split units) and the split are recorded'
);
select results_eq(
    $$ select c.quantity::numeric, c.cost_basis::numeric, c.proceeds::numeric, c.realized_pnl::numeric
       from trading.lot_closures as c where c.account_id = pg_temp.acct('splt_tiny') and c.adjustment_id is not null $$,
    $$ values (0.00001::numeric, 0.000005::numeric, 0.000006::numeric, 0.000001::numeric) $$,
    'the lot is closed by the cash in lieu'
);
select is((select cash::numeric from trading.accounts where id = pg_temp.acct('splt_tiny')), 100000.000001::numeric,
    'the cash reached the account');
select results_eq(
    $$ select status::text, cancel_reason from trading.orders where id = pg_temp.o('tiny_sell') $$,
    $$ values ('canceled', 'the split left no whole unit to trade') $$, 'the tiny holder''s resting sell is canceled'
);
select results_eq(
    $$ select p.quantity::numeric, p.cost_basis::numeric, p.reserved_quantity::numeric
       from trading.positions as p where p.account_id = pg_temp.acct('splt_big') $$,
    $$ values (0.000005::numeric, 2.5::numeric, 0.000005::numeric) $$,
    'the other holder''s 5 became 0.000005 at the same cost, still held by its order'
);
select results_eq(
    $$ select quantity::numeric, limit_price::numeric from trading.orders where id = pg_temp.o('big_sell') $$,
    $$ values (0.000005::numeric, 900000::numeric) $$, 'its resting order scaled'
);
select is_empty('select * from ops.verify_invariants()', 'the books are consistent after the reverse split');

-- 8. Split: a holder whose adjustment fails is set aside (position left unsplit, its open orders in the
--    security canceled, a critical alert); the others split.
do $$ begin perform api.upsert_security('SPL2', 'Split two', 'stock'); end $$;
do $$ begin perform api.record_price('SPL2', 100, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.trade('iso_good', 'SPL2', 'buy', 3); end $$;
do $$ begin perform pg_temp.trade('iso_bad', 'SPL2', 'buy', 3); end $$;
do $$ begin perform pg_temp.keep('bad_spl2', pg_temp.trade('iso_bad', 'SPL2', 'sell', 3, 'limit', 150)); end $$;
do $$ begin perform pg_temp.fail('22003', 'iso_bad'); end $$;
select is(api.apply_split('SPL2', 2, 1, current_date), 1, 'the split adjusts the other holder');
do $$ begin perform pg_temp.fail(''); end $$;
select results_eq($$ select * from pg_temp.position('iso_good', 'SPL2') $$, $$ values (6::numeric, 0::numeric) $$,
    'the other holder has 6');
select results_eq($$ select * from pg_temp.position('iso_bad', 'SPL2') $$, $$ values (3::numeric, 0::numeric) $$,
    'the failing holder keeps its 3, no longer held');
select results_eq(
    $$ select status::text, cancel_reason like 'set aside by the 2-for-1 split of SPL2 (its SPL2 position was left unsplit and its open orders canceled): %(SQLSTATE 22003)'
       from trading.orders where id = pg_temp.o('bad_spl2') $$,
    $$ values ('canceled', true) $$, 'its open order in the security is canceled with the reason'
);
select results_eq(
    $$ select severity, message like 'set aside by the 2-for-1 split of SPL2 %' from risk.alerts
       where account_id = pg_temp.acct('iso_bad') order by id desc limit 1 $$,
    $$ values ('critical', true) $$, 'a critical alert names the split'
);
select is_empty('select * from ops.verify_invariants()', 'the books are consistent after the set-aside split');

-- 9. Holders of record after a split with cash in lieu: 3 WHL became 4 (and 0.5 in cash), so a later
--    dividend pays 4 units, not 4.5.
do $$ begin perform api.upsert_security('WHL2', 'Whole units', 'stock', null, 'USD', false); end $$;
do $$ begin perform api.record_price('WHL2', 100, now() - interval '1 hour'); end $$;
do $$ begin perform pg_temp.trade('iso_good', 'WHL2', 'buy', 3); end $$;
select is(api.apply_split('WHL2', 3, 2, current_date), 1, 'the split pays the half unit in lieu');
select is(api.apply_dividend('WHL2', 1, current_date + 1, current_date + 1), 1, 'the dividend pays the holder');
select is(
    (select j.cash::numeric from trading.position_adjustments as j
     where j.account_id = pg_temp.acct('iso_good') and j.kind = 'dividend'
       and j.security_id = (select id from market.securities where symbol = 'WHL2')),
    4::numeric, 'on the 4 units held, not on the 4.5 before the cash in lieu'
);
select is_empty('select * from ops.verify_invariants()', 'the books are consistent at the end');

select * from finish();
rollback;
