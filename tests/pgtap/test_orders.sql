-- Orders end to end in SQL: api.execute_paper_trade (fills, rejections, errors, idempotency,
-- cross-currency), reservations, api.cancel_order, resting fills through api.record_price,
-- volume participation with ioc/fok, stop_limit on bars via api.match_resting_orders,
-- api.expire_orders and the order state machine. Every figure is computed by hand in the comments.
begin;
select plan(87);
-- Ticks and expiry runs here are stamped ahead of the transaction's start (up to 3 days) to play
-- time forward; the default tolerance is 5 minutes (docs/trading.md, Limits).
update auth.settings set value = '604800' where name = 'clock_skew_seconds';

insert into auth.users (email, username) values ('ord-a@example.com', 'ord_a'), ('ord-b@example.com', 'ord_b');
create temporary table t as
select
    (select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'ord_a') as a,
    (select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'ord_b') as b,
    (select u.id from auth.users as u where u.username = 'ord_a') as ua,
    (select u.id from auth.users as u where u.username = 'ord_b') as ub;
create temporary table o (name text primary key, id uuid);
create function pg_temp.o(p_name text) returns uuid language sql as $f$ select id from o where name = p_name $f$;
create function pg_temp.keep(p_name text, p_order api.orders) returns api.orders language sql as $f$
    insert into o values (p_name, p_order.id) returning p_order
$f$;
create function pg_temp.cash(p_account uuid) returns numeric language sql as $f$
    select cash from trading.accounts where id = p_account
$f$;

do $$ begin perform api.upsert_security('AAPL', 'Apple', 'stock'); end $$;
do $$ begin perform api.upsert_security('BRK', 'Berkshire', 'stock', null, 'USD', false); end $$;
do $$ begin perform api.upsert_security('SAP', 'SAP', 'stock', 'XETRA', 'EUR'); end $$;
do $$ begin perform api.upsert_security('VOD', 'Vodafone', 'stock', 'LSE', 'GBP'); end $$;
do $$ begin perform api.upsert_security('NOQ', 'No quote yet', 'stock'); end $$;
do $$ begin perform api.upsert_security('OLD', 'Delisted', 'stock'); end $$;
insert into market.fx_rates (base_currency, quote_currency, as_of, rate) values ('EUR', 'USD', now() - interval '1 day', 1.1);
do $$ begin perform api.record_price('AAPL', 110, now() - interval '1 hour', 109, 111); end $$;
do $$ begin perform api.record_price('BRK', 400, now() - interval '1 hour'); end $$;
do $$ begin perform api.record_price('SAP', 50, now() - interval '1 hour'); end $$;
do $$ begin perform api.record_price('VOD', 2, now() - interval '1 hour'); end $$;
do $$ begin perform api.record_price('OLD', 1, now() - interval '1 hour'); end $$;
update market.securities set is_active = false where symbol = 'OLD';
-- Account A pays 1 per order + 0.1 percent of notional and 10 bps of slippage.
update trading.accounts set commission_per_order = 1, commission_rate = 0.001, slippage_bps = 10 where id = (select a from t);
do $$ begin perform api.act_as((select ua from t)); end $$;

-- 1. Market buy: ask 111 + 10 bps = 111.111; notional 1111.11; commission 1 + 1.11111 = 2.11111.
do $$ begin perform pg_temp.keep('buy10', api.execute_paper_trade((select a from t), 'aapl', 'buy', 10)); end $$;
select results_eq(
    $$ select status::text, filled_quantity::numeric, average_fill_price::numeric, fees::numeric, reserved_cash::numeric
       from trading.orders where id = pg_temp.o('buy10') $$,
    $$ values ('filled'::text, 10::numeric, 111.111::numeric, 2.11111::numeric, 0::numeric) $$,
    'a market buy fills at the ask plus slippage, paying both commissions'
);
select is(pg_temp.cash((select a from t)), 98886.77889::numeric, 'cash fell by notional + commission (1113.22111)');
select results_eq(
    $$ select quantity::numeric, open_quantity::numeric, cost_basis::numeric from trading.lots
       where fill_id = (select id from trading.fills where order_id = pg_temp.o('buy10')) $$,
    $$ values (10::numeric, 10::numeric, 1113.22111::numeric) $$,
    'the buy opened one lot whose cost includes the fees'
);
select results_eq(
    $$ select f.price::numeric, f.notional::numeric, f.commission::numeric, f.fx_rate::numeric,
              (select sum(x.amount) from trading.transactions as x where x.journal_id = f.journal_id)::numeric
       from trading.fills as f where f.order_id = pg_temp.o('buy10') $$,
    $$ values (111.111::numeric, 1111.11::numeric, 2.11111::numeric, 1::numeric, 0::numeric) $$,
    'the fill records price, notional and commission and settles through a balanced journal'
);
select results_eq(
    $$ select coalesce(a.system_purpose::text, 'account'), x.amount::numeric, x.balance_after::numeric, x.kind::text,
              x.currency::text, x.posted_at = min(x.posted_at) over ()
       from trading.fills as f
       join trading.transactions as x on x.journal_id = f.journal_id
       join trading.accounts as a on a.id = x.account_id
       where f.order_id = pg_temp.o('buy10') order by x.id $$,
    $$ values ('account', -1113.22111::numeric, 98886.77889::numeric, 'trade', 'USD', true),
              ('market_clearing', 1111.11::numeric, null::numeric, 'trade', 'USD', true),
              ('fee_income', 2.11111::numeric, null::numeric, 'trade', 'USD', true) $$,
    'the settlement journal: the account pays notional + fees (balance_after = its cash), clearing and fee income take them'
);

-- 2. Market sell 4: bid 109 - 10 bps = 108.891; notional 435.564; commission 1.435564;
--    proceeds 434.128436; cost of 4/10 of the lot 445.288444; realized -11.160008.
do $$ begin perform pg_temp.keep('sell4', api.execute_paper_trade((select a from t), 'AAPL', 'sell', 4)); end $$;
select results_eq(
    $$ select quantity::numeric, cost_basis::numeric, realized_pnl::numeric from trading.positions
       where account_id = (select a from t) and security_id = (select id from market.securities where symbol = 'AAPL') $$,
    $$ values (6::numeric, 667.932666::numeric, -11.160008::numeric) $$,
    'a sell closes part of the lot: realized P&L = proceeds net of fees - the closed share of the cost'
);
select is(pg_temp.cash((select a from t)), 99320.907326::numeric, 'the sale proceeds net of commission reached cash');
select results_eq(
    $$ select quantity::numeric, cost_basis::numeric, proceeds::numeric, realized_pnl::numeric from trading.lot_closures
       where fill_id = (select id from trading.fills where order_id = pg_temp.o('sell4')) $$,
    $$ values (4::numeric, 445.288444::numeric, 434.128436::numeric, -11.160008::numeric) $$,
    'the lot closure stores quantity, cost, proceeds and realized P&L'
);

-- 3. Business rejections are stored orders, not errors.
create function pg_temp.reason(p_order api.orders) returns text language sql as $f$
    select p_order.status || ': ' || p_order.reject_reason
$f$;
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'AAPL', 'sell', 7)),
    '^rejected: order would take the AAPL position of 6\.0+ through zero$', 'no flip through zero');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'BRK', 'buy', 1.5)),
    '^rejected: BRK trades in whole units only$', 'whole units for non-fractionable securities');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'VOD', 'buy', 1)),
    '^rejected: no FX rate from GBP to USD$', 'no FX rate, no cross-currency trade');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1000)),
    '^rejected: insufficient buying power: the order needs 111223\.111', 'buying power covers price, slippage and fees');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'SAP', 'sell', 1)),
    '^rejected: short selling is not allowed on account', 'shorts only where allowed');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'NOQ', 'buy', 1)),
    '^rejected: no market price for NOQ$', 'a market order needs a price');
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'OLD', 'buy', 1)),
    '^rejected: security OLD is inactive$', 'inactive securities take no orders');
do $$ begin perform pg_temp.keep('noq_limit', api.execute_paper_trade((select a from t), 'NOQ', 'buy', 1, 'limit', 5, null, 'gtc')); end $$;
select is((select status from trading.orders where id = pg_temp.o('noq_limit')), 'new', 'a limit order rests without a price');
-- A resting sell holds 4 of the 6 units, so only 2 remain to sell.
do $$ begin perform pg_temp.keep('sell_limit', api.execute_paper_trade((select a from t), 'AAPL', 'sell', 4, 'limit', 200, null, 'gtc')); end $$;
select results_eq(
    $$ select reserved_quantity::numeric from trading.positions where account_id = (select a from t)
       and security_id = (select id from market.securities where symbol = 'AAPL') $$,
    $$ values (4::numeric) $$, 'a resting sell reserves its units on the position'
);
select matches(pg_temp.reason(api.execute_paper_trade((select a from t), 'AAPL', 'sell', 3)),
    '^rejected: insufficient unreserved quantity: 4\.0+ of 6\.0+ AAPL are held by open orders$',
    'reserved units cannot be sold twice');
select is((select count(*)::integer from trading.orders where account_id = (select a from t) and status = 'rejected'), 8,
    'every rejection is stored');

-- 4. Malformed arguments raise errors.
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'hold', 1) $$, '22023', null, 'unknown side');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 0) $$, '22023', null, 'zero quantity');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 'NaN') $$, '22023', null, 'NaN quantity');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1e20) $$, '22023', null, 'huge quantity');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1.00000000001) $$, '22023', null,
    'more than 10 decimals');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'limit') $$, '22023', null,
    'a limit order needs a limit price');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'market', 10) $$, '22023', null,
    'a market order takes no limit price');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'stop') $$, '22023', null,
    'a stop order needs a stop price');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'limit', -5) $$, '22023', null,
    'a negative limit price');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'limit', 1.123456789) $$, '22023',
    null, 'a price with more than 8 decimals');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'trailing') $$, '22023', null,
    'unknown order type');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'market', null, null, 'week') $$,
    '22023', null, 'unknown time in force');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'market', null, null, 'day',
    repeat('x', 65)) $$, '22023', null, 'client_order_id too long');
select throws_ok($$ select api.execute_paper_trade(null, 'AAPL', 'buy', 1) $$, '22023', null, 'no account');
select throws_ok($$ select api.execute_paper_trade(gen_random_uuid(), 'AAPL', 'buy', 1) $$, 'P0002', null, 'unknown account');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'ZZZZ', 'buy', 1) $$, 'P0002', null, 'unknown symbol');
select throws_ok($$ select api.execute_paper_trade(trading.system_account('fee_income', 'USD'), 'AAPL', 'buy', 1) $$,
    '42501', null, 'system accounts do not trade');

-- 5. Idempotent client_order_id.
do $$ begin perform pg_temp.keep('c1', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'market', null, null, 'day', 'c-1')); end $$;
create temporary table cash_before as select pg_temp.cash((select a from t)) as cash;
select is((api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'market', null, null, 'day', 'c-1')).id,
    pg_temp.o('c1'), 'a retry with the same arguments returns the first order');
select is(pg_temp.cash((select a from t)), (select cash from cash_before), 'and changes nothing');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'AAPL', 'buy', 2, 'market', null, null, 'day', 'c-1') $$,
    'TB060', null, 'the same key with other arguments is an idempotency conflict');

-- 6. Reservations and cancel: limit 100 x 10 x 1.001 + 1 = 1002 held back.
do $$ begin perform pg_temp.keep('rest', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 10, 'limit', 100, null, 'gtc')); end $$;
select results_eq(
    $$ select status::text, reserved_cash::numeric from trading.orders where id = pg_temp.o('rest') $$,
    $$ values ('new'::text, 1002::numeric) $$, 'a non-marketable limit buy rests and reserves limit x quantity + fees'
);
select is((select reserved_cash::numeric from trading.accounts where id = (select a from t)),
    (select sum(reserved_cash)::numeric from trading.orders where account_id = (select a from t) and status = 'new'),
    'the account reserves what its open orders hold');
select results_eq(
    $$ select status::text, reserved_cash::numeric, cancel_reason from api.cancel_order(pg_temp.o('rest')) $$,
    $$ values ('canceled'::text, 0::numeric, 'canceled by the user'::text) $$, 'cancel_order releases the reservation'
);
select throws_ok($$ select api.cancel_order(pg_temp.o('rest')) $$, 'TB061', null, 'a canceled order cannot be canceled');
select throws_ok($$ select api.cancel_order(gen_random_uuid()) $$, 'P0002', null, 'unknown order');
select throws_ok($$ select api.cancel_order(null) $$, '22023', null, 'no order id');

-- 7. Resting orders fill on new prices (record_price returns how many filled).
do $$ begin perform pg_temp.keep('limit100', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 10, 'limit', 100, null, 'gtc')); end $$;
select is(api.record_price('AAPL', 98, now() + interval '1 minute'), 1, 'a price through the limit fills one order');
do $$ begin perform pg_temp.keep('stop105', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 2, 'stop', null, 105, 'gtc')); end $$;
select results_eq(
    $$ select status::text, average_fill_price::numeric, fees::numeric from trading.orders where id = pg_temp.o('limit100') $$,
    $$ values ('filled'::text, 98::numeric, 1.98::numeric) $$, 'a limit gapped through fills at the better price'
);
select is(api.record_price('AAPL', 104, now() + interval '2 minutes'), 0, 'below the stop nothing fills');
select is(api.record_price('AAPL', 106, now() + interval '3 minutes'), 1, 'through the stop the stop order fills');
select is((select average_fill_price::numeric from trading.orders where id = pg_temp.o('stop105')), 106.106::numeric,
    'a stop gapped through fills at the price plus slippage');
select is(api.record_price('AAPL', 201, now() + interval '4 minutes'), 1, 'the resting sell limit fills');
select results_eq(
    $$ select status::text, average_fill_price::numeric, reserved_quantity::numeric from trading.orders where id = pg_temp.o('sell_limit') $$,
    $$ values ('filled'::text, 201::numeric, 0::numeric) $$, 'a sell limit gapped through fills at the open'
);
select is(api.record_price('AAPL', 202, now() - interval '2 hours'), 0, 'a late tick older than the orders fills nothing');

-- 8. Volume participation (10 percent), ioc and fok, on account B (no fees, no slippage).
update trading.accounts set max_volume_participation = 0.1 where id = (select b from t);
do $$ begin perform api.act_as((select ub from t)); end $$;
do $$ begin perform api.record_price('AAPL', 100, now() + interval '5 minutes', null, null, 500); end $$;
do $$ begin perform pg_temp.keep('ioc', api.execute_paper_trade((select b from t), 'AAPL', 'buy', 100, 'market', null, null, 'ioc')); end $$;
select results_eq(
    $$ select status::text, filled_quantity::numeric, cancel_reason from trading.orders where id = pg_temp.o('ioc') $$,
    $$ values ('canceled'::text, 50::numeric, 'ioc: unfilled remainder canceled'::text) $$,
    'ioc takes 10 percent of 500 and cancels the rest'
);
select results_eq(
    $$ select status::text, filled_quantity::numeric, cancel_reason
       from api.execute_paper_trade((select b from t), 'AAPL', 'buy', 100, 'market', null, null, 'fok') $$,
    $$ values ('canceled'::text, 0::numeric, 'fok: not enough volume'::text) $$, 'fok fills entirely or not at all'
);
select results_eq(
    $$ select status::text, cancel_reason from api.execute_paper_trade((select b from t), 'AAPL', 'buy', 1, 'limit', 90, null, 'ioc') $$,
    $$ values ('canceled'::text, 'ioc: not marketable at once'::text) $$, 'ioc that cannot fill at once is canceled'
);
do $$ begin perform pg_temp.keep('partial', api.execute_paper_trade((select b from t), 'AAPL', 'buy', 100, 'limit', 99, null, 'gtc')); end $$;
select is(api.record_price('AAPL', 98, now() + interval '6 minutes', null, null, 300), 1, 'a partial fill counts as a fill');
select results_eq(
    $$ select status::text, filled_quantity::numeric, reserved_cash::numeric from trading.orders where id = pg_temp.o('partial') $$,
    $$ values ('partially_filled'::text, 30::numeric, 6930::numeric) $$,
    '30 of 100 filled; the remaining 70 x 99 stay reserved'
);
select is(api.record_price('AAPL', 98, now() + interval '7 minutes', null, null, 2000), 1, 'the next tick fills the rest');
select results_eq(
    $$ select status::text, filled_quantity::numeric, reserved_cash::numeric from trading.orders where id = pg_temp.o('partial') $$,
    $$ values ('filled'::text, 100::numeric, 0::numeric) $$, 'filled in two parts, nothing reserved any more'
);

-- 9. A stop_limit on daily bars: gaps above its limit (triggers, no fill), then fills at the limit.
do $$ begin perform pg_temp.keep('stoplimit', api.execute_paper_trade((select b from t), 'AAPL', 'buy', 5, 'stop_limit', 101, 100, 'gtc')); end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close, volume)
select id, '1d', now() + interval '1 day', 103, 104, 102, 103.5, 1000000 from market.securities where symbol = 'AAPL'
union all
select id, '1d', now() + interval '2 days', 101.5, 102, 100.5, 101, 1000000 from market.securities where symbol = 'AAPL';
select is(api.match_resting_orders('AAPL'), 1, 'the bars fill the stop_limit once');
select results_eq(
    $$ select status::text, stop_triggered, average_fill_price::numeric, last_matched_at = now() + interval '2 days'
       from trading.orders where id = pg_temp.o('stoplimit') $$,
    $$ values ('filled'::text, true, 101::numeric, true) $$, 'triggered on the first bar, filled at the limit on the second'
);
select is(api.match_resting_orders('AAPL'), 0, 'matching the same bars again fills nothing');
select throws_ok($$ select api.match_resting_orders('ZZZZ') $$, 'P0002', null, 'unknown symbol');
select throws_ok($$ select api.match_resting_orders('AAPL', '2d') $$, '22023', null, 'unknown timeframe');

-- 10. Cross-currency: SAP 50 EUR + 10 bps = 50.05; x 1.1 = 550.55 USD; commission 1 + 0.55055.
do $$ begin perform api.act_as((select ua from t)); end $$;
do $$ begin perform pg_temp.keep('sap', api.execute_paper_trade((select a from t), 'SAP', 'buy', 10)); end $$;
select results_eq(
    $$ select price::numeric, fx_rate::numeric, notional::numeric, commission::numeric from trading.fills
       where order_id = pg_temp.o('sap') $$,
    $$ values (50.05::numeric, 1.1::numeric, 550.55::numeric, 1.55055::numeric) $$,
    'a EUR security settles in USD at the latest rate'
);

-- 11. Day orders expire at the end of their UTC day.
do $$ begin perform pg_temp.keep('day', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1, 'limit', 50)); end $$;
select is((select expires_at from trading.orders where id = pg_temp.o('day')),
    date_trunc('day', now(), 'UTC') + interval '1 day', 'a day order expires at the next UTC midnight');
select is(api.expire_orders(now()), 0, 'nothing expires before its day ends');
select is(api.expire_orders(now() + interval '2 days'), 1, 'the day order expires');
select results_eq(
    $$ select status::text, reserved_cash::numeric, cancel_reason from trading.orders where id = pg_temp.o('day') $$,
    $$ values ('expired'::text, 0::numeric, 'day order expired at the end of its UTC day'::text) $$,
    'an expired order holds nothing'
);
select throws_ok($$ select api.expire_orders('infinity') $$, '22023', null, 'expire_orders needs a real time');

-- 12. Orders that can no longer be paid for or converted at the fill are canceled, not errors.
insert into auth.users (email, username) values ('ord-c@example.com', 'ord_c');
do $$ begin perform api.act_as((select id from auth.users where username = 'ord_c')); end $$;
create temporary table c as
select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'ord_c';
do $$ begin perform api.withdraw((select id from c), 98900); end $$;
-- 1100 cash: a stop buy of 10 @ 105 reserves 1050, but a gap to 200 would cost 2000.
do $$ begin perform pg_temp.keep('gap', api.execute_paper_trade((select id from c), 'AAPL', 'buy', 10, 'stop', null, 105, 'gtc')); end $$;
select is(api.record_price('AAPL', 200, now() + interval '3 days'), 0, 'the gap fills nothing');
select results_eq(
    $$ select status::text, cancel_reason, reserved_cash::numeric from trading.orders where id = pg_temp.o('gap') $$,
    $$ values ('canceled'::text, 'insufficient buying power at the fill price'::text, 0::numeric) $$,
    'a stop that can no longer be paid for is canceled'
);
do $$ begin perform pg_temp.keep('sap_limit', api.execute_paper_trade((select id from c), 'SAP', 'buy', 1, 'limit', 40, null, 'gtc')); end $$;
delete from market.fx_rates where base_currency = 'EUR';
do $$ begin perform api.record_price('SAP', 39, now() + interval '3 days'); end $$;
select is((select cancel_reason from trading.orders where id = pg_temp.o('sap_limit')), 'no FX rate from EUR to USD at the fill',
    'without an FX rate at the fill the order is canceled');

-- 13. The state machine.
select is((select count(*)::integer from trading.order_transitions), 8, 'eight legal transitions');
select throws_ok($$ update trading.orders set status = 'canceled', cancel_reason = 'x' where id = pg_temp.o('buy10') $$,
    'TB062', null, 'a filled order never changes');
select throws_ok($$ update trading.orders set status = 'rejected', reject_reason = 'x' where id = pg_temp.o('noq_limit') $$,
    'TB062', null, 'new -> rejected is not a transition');
select throws_ok(
    $$ insert into trading.orders (account_id, security_id, side, quantity, status, filled_quantity, average_fill_price)
       values ((select a from t), (select id from market.securities where symbol = 'AAPL'), 'buy', 1, 'expired', 0, null) $$,
    'TB062', null, 'an order is never born expired'
);
-- The status rules live in the state-machine trigger (migration 0350_orders): 23514 like the checks they replace.
select throws_ok($$ update trading.orders set filled_quantity = 1, average_fill_price = 90 where id = pg_temp.o('noq_limit') $$,
    '23514', null, 'a new order has nothing filled');
select throws_ok($$ update trading.orders set reject_reason = 'x' where id = pg_temp.o('noq_limit') $$,
    '23514', null, 'only a rejected order has a reject reason');
select throws_ok(
    $$ insert into trading.orders (account_id, security_id, side, quantity, status, filled_quantity)
       values ((select a from t), (select id from market.securities where symbol = 'AAPL'), 'buy', 1, 'filled', 1) $$,
    '23514', null, 'a filled order has an average fill price'
);
select throws_ok(
    $$ insert into trading.orders (account_id, security_id, side, quantity, status, reserved_cash, cancel_reason)
       values ((select a from t), (select id from market.securities where symbol = 'AAPL'), 'buy', 1, 'canceled', 5, 'x') $$,
    '23514', null, 'a closed order reserves nothing'
);
select throws_ok($$ update trading.orders set filled_quantity = 11 where id = pg_temp.o('buy10') $$,
    'TB062', null, 'filled orders stay as they are');

-- 14. A market order that fills at once is written once: inserted filled, never updated.
create temporary table writes as
select n_tup_ins, n_tup_upd from pg_stat_xact_user_tables where relid = 'trading.orders'::regclass;
do $$ begin perform pg_temp.keep('once', api.execute_paper_trade((select a from t), 'AAPL', 'buy', 1)); end $$;
select results_eq(
    $$ select x.n_tup_ins - w.n_tup_ins, x.n_tup_upd - w.n_tup_upd, o.status::text, o.closed_at is not null
       from pg_stat_xact_user_tables as x, writes as w, trading.orders as o
       where x.relid = 'trading.orders'::regclass and o.id = pg_temp.o('once') $$,
    $$ values (1::bigint, 0::bigint, 'filled', true) $$,
    'an order filled at once is one insert, born filled and closed'
);

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');

-- Fills and lots copy their order's and fill's account and security; the invariants check the copies.
savepoint copies;
update trading.fills set side = 'sell' where order_id = pg_temp.o('once');
select ok(exists (select from ops.verify_invariants() where invariant = 'fills_match_orders'),
    'a fill whose side differs from its order is reported');
rollback to savepoint copies;
savepoint copies;
update trading.lots set account_id = (select b from t)
where fill_id = (select id from trading.fills where order_id = pg_temp.o('once'));
select ok(exists (select from ops.verify_invariants() where invariant = 'lots_match_fills'),
    'a lot on another account than its fill is reported');
rollback to savepoint copies;

select * from finish();
rollback;
