-- Limits (docs/trading.md, "Limits"; issue 13 §3): no input, and no sequence of accepted inputs, ends
-- in an overflow (22003), a raw check violation for a value that rounds to zero, or a quote frozen by
-- a far-future tick. Bad input is a 22023 with a hint and changes nothing.
begin;
select plan(127);

insert into auth.users (email, username) values ('lim-a@example.com', 'lim_a'), ('lim-b@example.com', 'lim_b');
create temporary table t as
select
    (select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'lim_a') as a,
    (select a.id from trading.accounts as a inner join auth.users as u on a.user_id = u.id where u.username = 'lim_b') as b,
    (select u.id from auth.users as u where u.username = 'lim_a') as ua,
    (select u.id from auth.users as u where u.username = 'lim_b') as ub;
create function pg_temp.cash(p_account uuid) returns numeric language sql as $f$
    select cash from trading.accounts where id = p_account
$f$;
create function pg_temp.quote(p_symbol text) returns numeric language sql as $f$
    select q.price from market.quotes as q inner join market.securities as s on q.security_id = s.id where s.symbol = p_symbol
$f$;
-- The first SQLSTATE a statement raises (null when it succeeds), and its hint.
create function pg_temp.state(p_sql text) returns text language plpgsql as $f$
declare
    v_state text;
begin
    execute p_sql;
    return null;
exception when others then
    get stacked diagnostics v_state = returned_sqlstate;
    return v_state;
end
$f$;
create function pg_temp.hint(p_sql text) returns text language plpgsql as $f$
declare
    v_hint text;
begin
    execute p_sql;
    return null;
exception when others then
    get stacked diagnostics v_hint = pg_exception_hint;
    return v_hint;
end
$f$;

-- 1. The limits and the shared checks.
select results_eq(
    $$ select app.max_price(), app.max_quantity(), app.max_amount(), app.max_balance(), auth.clock_skew() $$,
    $$ values (1000000000::numeric, 100000000000::numeric, 1000000000000000::numeric, 2000000000000000::numeric,
               interval '5 minutes') $$,
    'the limits: price 10^9, quantity 10^11, amount 10^15, balance 2 x 10^15, clock skew 5 minutes'
);
select is(trading.positive_price(0.00000001, 'p'), 0.00000001::app.price, 'the smallest price is accepted');
select is(trading.positive_price(1000000000, 'p'), 1000000000::app.price, 'the largest price is accepted');
select throws_ok($$ select trading.positive_price(1000000000.00000001, 'p') $$, '22023', null, 'above the largest price');
select throws_ok($$ select trading.positive_price(0.000000001, 'p') $$, '22023', null, 'a price that rounds to zero');
select throws_ok($$ select trading.positive_price(1.000000001, 'p') $$, '22023', null, 'a price with a 9th decimal');
select throws_ok($$ select trading.positive_price('NaN', 'p') $$, '22023', null, 'NaN is no price');
select throws_ok($$ select trading.positive_price(null, 'p') $$, '22023', null, 'null is no price');
select is(trading.positive_quantity(100000000000, 'q'), 100000000000::app.quantity, 'the largest quantity is accepted');
select throws_ok($$ select trading.positive_quantity(100000000000.0000000001, 'q') $$, '22023', null,
    'above the largest quantity');
select throws_ok($$ select trading.positive_quantity(0.00000000001, 'q') $$, '22023', null, 'a quantity that rounds to zero');
select is(trading.positive_amount(1000000000000000, 'a'), 1000000000000000::app.money, 'the largest amount is accepted');
select throws_ok($$ select trading.positive_amount(1000000000000000.00000001, 'a') $$, '22023', null,
    'above the largest amount');
select throws_ok($$ select trading.positive_amount('Infinity', 'a') $$, '22023', null, 'Infinity is no amount');
select alike(pg_temp.hint($$ select trading.positive_amount(-1, 'a') $$), 'Pass a number from 0.00000001 to 1000000000000000%',
    'the hint names the range');
select is(trading.checked_time(now() + interval '4 minutes', 't'), now() + interval '4 minutes',
    'a time within the clock skew is accepted');
select throws_ok($$ select trading.checked_time(now() + interval '6 minutes', 't') $$, '22023', null,
    'a time beyond the clock skew is refused');
select throws_ok($$ select trading.checked_time('-infinity', 't') $$, '22023', null, 'an infinite time is refused');

-- 2. api.record_price: prices that overflow or round to zero, far-future ticks (before: 22003, 23514, a frozen quote).
do $$ begin perform api.upsert_security('LIMX', 'Limits', 'stock'); end $$;
do $$ begin perform api.record_price('LIMX', 100, now() - interval '1 hour', 99, 101, 1000); end $$;
select throws_ok($$ select api.record_price('LIMX', 9999999999999999.999999999) $$, '22023', null,
    'a price that would overflow app.price is refused (before: 22003)');
select throws_ok($$ select api.record_price('LIMX', 100, now(), 9999999999999999.999999999, null) $$, '22023', null,
    'such a bid is refused');
select throws_ok($$ select api.record_price('LIMX', 100, now(), null, 9999999999999999.999999999) $$, '22023', null,
    'such an ask is refused');
select throws_ok($$ select api.record_price('LIMX', 0.000000001) $$, '22023', null,
    'a price that rounds to zero is refused (before: 23514)');
select throws_ok($$ select api.record_price('LIMX', 100, now(), 0.000000001, 101) $$, '22023', null,
    'a bid that rounds to zero is refused');
select throws_ok($$ select api.record_price('LIMX', 100.000000001) $$, '22023', null,
    'a price with a 9th decimal is refused, not rounded');
select throws_ok($$ select api.record_price('LIMX', 1000000000.00000001) $$, '22023', null,
    'a price above app.max_price() is refused');
select throws_ok($$ select api.record_price('LIMX', 100, now(), null, null, 100000000000000000.0000000001) $$, '22023',
    null, 'a volume above 10^17 is refused');
select throws_ok($$ select api.record_price('LIMX', 100, now(), null, null, 999999999999999999.99999999999) $$, '22023',
    null, 'a volume that would round into an overflow of app.quantity is refused (before: 22003)');
select throws_ok($$ select api.record_price('LIMX', 100, now(), null, null, 1.00000000001) $$, '22023', null,
    'a volume with an 11th decimal is refused');
select throws_ok($$ select api.record_price('LIMX', 100, '294276-12-31 23:59:59+00') $$, '22023', null,
    'a tick from the far future is refused');
select alike(pg_temp.hint($$ select api.record_price('LIMX', 100, now() + interval '1 day') $$),
    '%clock_skew_seconds%', 'the hint names the setting');
select is(pg_temp.quote('LIMX'), 100::numeric, 'the refused ticks changed nothing');
select is(api.record_price('LIMX', 101, clock_timestamp()), 0, 'a tick now moves the quote');
select is(api.record_price('LIMX', 102, now() + interval '4 minutes'), 0, 'so does a tick within the clock skew');
select is(pg_temp.quote('LIMX'), 102::numeric, 'the quote is the newest tick');
select lives_ok($$ select api.record_price('LIMX', 1000000000, now() + interval '4 minutes') $$,
    'the largest price is a price');
do $$ begin perform api.record_price('LIMX', 100, now() + interval '4 minutes 30 seconds', 99, 101); end $$;
update auth.settings set value = '0' where name = 'clock_skew_seconds';
select throws_ok($$ select api.record_price('LIMX', 100, clock_timestamp() + interval '1 second') $$, '22023', null,
    'auth.settings clock_skew_seconds sets the tolerance');
select throws_ok($$ update auth.settings set value = '1000000' where name = 'clock_skew_seconds' $$, '23514', null,
    'the tolerance is at most a week');
update auth.settings set value = '300' where name = 'clock_skew_seconds';

-- 3. Cash: amounts that pass the old check but overflow the balance (before: 22003), balances beyond the limit.
do $$ begin perform api.act_as((select ua from t)); end $$;
select throws_ok($$ select api.deposit((select a from t), 9999999999999999.99999999) $$, '22023', null,
    'a deposit that would overflow the balance is refused (before: 22003)');
select throws_ok($$ select api.deposit((select a from t), 1000000000000000.00000001) $$, '22023', null,
    'a deposit above app.max_amount() is refused');
select throws_ok($$ select api.deposit((select a from t), 0.000000001) $$, '22023', null,
    'a deposit that rounds to zero is refused');
select throws_ok($$ select api.withdraw((select a from t), 9999999999999999.99999999) $$, '22023', null,
    'so is such a withdrawal');
select lives_ok($$ select api.deposit((select a from t), 1000000000000000) $$, 'a deposit of app.max_amount() is accepted');
select throws_ok($$ select api.deposit((select a from t), 1000000000000000) $$, '22023', null,
    'a deposit that would take cash above app.max_balance() is refused');
select alike(pg_temp.hint($$ select api.deposit((select a from t), 1000000000000000) $$), '%Limits%',
    'the hint points at the limits');
do $$ begin perform api.act_as((select ub from t)); end $$;
create temporary table big as
select api.create_account('Big', 'paper', null, 1000000000000000) as one,
    api.create_account('Big 2', 'paper', null, 1000000000000000) as two;
select lives_ok($$ select api.transfer_cash((select one from big), (select two from big), 1000000000000000) $$,
    'a transfer up to app.max_balance() is accepted');
select throws_ok($$ select api.transfer_cash((select b from t), (select two from big), 1) $$,
    '22023', null, 'a transfer that would take cash above app.max_balance() is refused');
select throws_ok($$ select api.create_account('Huge', 'paper', null, 9999999999999999) $$, '22023', null,
    'an initial balance above app.max_amount() is refused');
select throws_ok($$ select api.create_account('Slippery', 'paper', null, null, 'USD', '{"slippage_bps": 5001}') $$,
    '22023', null, 'slippage above 50 % is refused (a sell at the smallest price would round to zero)');
select is(pg_temp.cash((select b from t)), 100000::numeric, 'the refused calls moved nothing');
select throws_ok($$ update trading.accounts set cash = 2000000000000000.00000001 where id = (select b from t) $$, '23514',
    null, 'no cash above app.max_balance(), whoever writes it (cash_balance_within_limit_ck)');

-- 4. Risk rules: thresholds that overflow or round to zero (before: 22003, 23514).
do $$ begin perform api.act_as((select ua from t)); end $$;
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 9999999999999999.999999999) $$, '22023', null,
    'a threshold that would overflow is refused (before: 22003)');
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 0.000000004) $$, '22023', null,
    'a threshold that rounds to zero is refused (before: 23514)');
select throws_ok($$ select api.create_risk_rule('MAX_POSITION_PCT', 0.333333333) $$, '22023', null,
    'a threshold with a 9th decimal is refused, not rounded');
select throws_ok($$ select api.create_risk_rule('MAX_POSITION_SIZE', 100000000001) $$, '22023', null,
    'a position size above app.max_quantity() is refused');
select throws_ok($$ select api.create_risk_rule('MAX_ORDERS_PER_DAY', 2.5) $$, '22023', null,
    'orders per day are a whole number');
select isnt(api.create_risk_rule('MAX_ORDERS_PER_DAY', 1000000000), null, 'the largest count is a threshold');
select is((select threshold::numeric from risk.rules where user_id = (select ua from t)), 1000000000::numeric,
    'stored as given');
delete from risk.rules where user_id = (select ua from t);

-- 5. Platform syncs: a total value that overflows, times from the far future.
insert into auth.platform_connections (user_id, platform) select ua, 'alpaca' from t;
create temporary table pc as
select id from auth.platform_connections where user_id = (select ua from t) and platform = 'alpaca';
select throws_ok($$ select api.record_sync((select id from pc), 'manual', 'completed', 1, 1, null, now(), null,
    9999999999999999.999999999) $$, '22023', null, 'a total value that would overflow is refused (before: 22003)');
select throws_ok($$ select api.record_sync((select id from pc), 'manual', 'completed', 1, 1, null, now(), null,
    0.000000001) $$, '22023', null, 'a total value with a 9th decimal is refused');
select throws_ok($$ select api.record_sync((select id from pc), 'manual', 'completed', 1, 1, null, now(),
    '294276-12-31 23:59:59+00') $$, '22023', null, 'a completion from the far future is refused (before: accepted)');
select throws_ok($$ select api.record_sync((select id from pc), 'manual', 'pending', 0, 0, null, '-infinity') $$, '22023',
    null, 'an infinite start is refused (before: accepted)');
select isnt(api.record_sync((select id from pc), 'manual', 'completed', 1, 1, null, now(), null, 0), null,
    'a total value of zero is a value');

-- 6. Orders: bounds at entry.
select throws_ok($$ select api.execute_paper_trade((select a from t), 'LIMX', 'buy', 1000000000000) $$, '22023', null,
    'an order above app.max_quantity() units is refused');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'LIMX', 'buy', 1, 'limit', 1000000000.00000001) $$,
    '22023', null, 'a limit price above app.max_price() is refused');
select throws_ok($$ select api.execute_paper_trade((select a from t), 'LIMX', 'buy', 1, 'stop', null, 0.000000001) $$,
    '22023', null, 'a stop price that rounds to zero is refused');
-- execute_paper_trade writes the limits out (the order path): the same numbers as app.max_quantity()
-- and app.max_price(), at their edges.
select throws_ok(
    format($$ select api.execute_paper_trade((select a from t), 'LIMX', 'buy', %s) $$, app.max_quantity() + 0.0000000001),
    '22023', null, 'one unit-decimal above app.max_quantity() is refused');
select is((api.execute_paper_trade((select a from t), 'LIMX', 'buy', 0.001, 'limit', app.max_price())).status::text,
    'filled', 'a limit of app.max_price() is a price (it fills at the quote)');
-- A position's cost basis stays within app.max_balance(): with a 100 % commission each buy of 5e9 at
-- 100000 costs 1e15, and cash is topped up in between.
do $$ begin perform api.upsert_security('COST', 'Cost basis', 'stock'); end $$;
do $$ begin perform api.record_price('COST', 100000, now() - interval '1 hour'); end $$;
create temporary table cost as
select api.create_account('Cost', 'paper', null, 1000000000000000, 'USD', '{"commission_rate": 1}') as id;
select is((api.execute_paper_trade((select id from cost), 'COST', 'buy', 5000000000)).status::text, 'filled',
    'a buy costing 1e15 fills');
do $$ begin perform api.deposit((select id from cost), 1000000000000000); end $$;
select is((api.execute_paper_trade((select id from cost), 'COST', 'buy', 5000000000)).status::text, 'filled',
    'a second one fills: the cost basis is 2e15');
do $$ begin perform api.deposit((select id from cost), 1000000000000000); end $$;
select results_eq(
    $$ select status::text, reject_reason from api.execute_paper_trade((select id from cost), 'COST', 'buy', 1) $$,
    $$ values ('rejected', 'the COST position''s cost basis could exceed the limit of 2000000000000000 USD') $$,
    'a buy that could take the cost basis above app.max_balance() is rejected'
);
select is((select cost_basis::numeric from trading.positions where account_id = (select id from cost)),
    2000000000000000::numeric, 'the cost basis stayed at 2e15');

-- 7. The overflow of the issue, end to end: 1e12 units at 1e-8 can no longer be bought; the largest
--    position that can, marked up from 1e-8 to 20000, still snapshots, sells, splits, takes a dividend
--    and never blocks the symbol's price feed (before: 22003 for each).
do $$ begin perform api.upsert_security('TINY', 'Tiny', 'crypto'); end $$;
do $$ begin perform api.record_price('TINY', 0.00000001, now() - interval '1 hour'); end $$;
do $$ begin perform api.act_as((select ub from t)); end $$;
select throws_ok($$ select api.execute_paper_trade((select b from t), 'TINY', 'buy', 1000000000000) $$, '22023', null,
    'buying 1e12 units is refused');
select results_eq(
    $$ select status::text, filled_quantity::numeric, fees::numeric from api.execute_paper_trade((select b from t), 'TINY', 'buy', 100000000000) $$,
    $$ values ('filled', 100000000000::numeric, 0::numeric) $$, 'buying 1e11 units at 1e-8 (1000 USD) fills'
);
select results_eq(
    $$ select status::text, reject_reason from api.execute_paper_trade((select b from t), 'TINY', 'buy', 1) $$,
    $$ values ('rejected', 'order would take the TINY position to 100000000001.0000000000 units, above the limit of 100000000000') $$,
    'the position cannot grow beyond app.max_quantity()'
);
-- A resting sell limit of the whole position, far below the price to come.
create temporary table rest as
select id from api.execute_paper_trade((select b from t), 'TINY', 'sell', 100000000000, 'limit', 0.00000002, null, 'gtc');
select is((select status::text from trading.orders where id = (select id from rest)), 'new', 'the sell limit rests');
select is(api.record_price('TINY', 20000, clock_timestamp()), 0,
    'a tick at 20000 succeeds: the sell limit that would bring 2e15 into the account does not block it');
select is(pg_temp.quote('TINY'), 20000::numeric, 'the quote moved');
select is((select status::text from trading.orders where id = (select id from rest)), 'canceled',
    'the sell limit is canceled');
select alike((select cancel_reason from trading.orders where id = (select id from rest)),
    '%would bring the cash of account % to 2000000000099000.00000000, above the limit of 2000000000000000',
    'with the cash limit as its reason (before: set aside with cash_balance_within_limit_ck, SQLSTATE 23514)');
select is(pg_temp.state($$ select api.snapshot_accounts(current_date) $$), null, 'snapshots work for every account');
select results_eq(
    $$ select positions_value::numeric, equity::numeric from trading.account_snapshots
       where account_id = (select b from t) and snapshot_date = current_date $$,
    $$ values (2000000000000000::numeric, 2000000000099000::numeric) $$,
    'the position is worth 2e15 and the equity holds it with the cash'
);
select results_eq(
    $$ select status::text, reject_reason from api.execute_paper_trade((select b from t), 'TINY', 'sell', 100000000000) $$,
    $$ values ('rejected', format('the sale could bring the cash of account %s to 2000000000099000.00000000, above the limit of 2000000000000000: sell less at a time', (select b from t))) $$,
    'selling it all at once would take cash above app.max_balance(): rejected with a reason'
);
select results_eq(
    $$ select status::text, filled_quantity::numeric from api.execute_paper_trade((select b from t), 'TINY', 'sell', 50000000000) $$,
    $$ values ('filled', 50000000000::numeric) $$, 'selling half (1e15) fills'
);
select is(pg_temp.cash((select b from t)), 1000000000099000::numeric, 'cash is 1e15 + what was left');
select results_eq(
    $$ select status::text, reject_reason from api.execute_paper_trade((select b from t), 'TINY', 'sell', 50000000000) $$,
    $$ values ('rejected', format('the sale could bring the cash of account %s to 2000000000099000.00000000, above the limit of 2000000000000000: sell less at a time', (select b from t))) $$,
    'so is selling the rest at once now'
);
select is(api.apply_split('TINY', 2, 1, current_date), 1, 'a 2-for-1 split of the position works');
select is((select quantity::numeric from trading.positions where account_id = (select b from t)
    and security_id = (select id from market.securities where symbol = 'TINY')), 100000000000::numeric,
    'the position doubled');
select is(api.apply_dividend('TINY', 1, current_date + 1, current_date + 1), 1, 'a dividend on it works');
select is(pg_temp.cash((select b from t)), 1000100000099000::numeric, 'and paid 1e11 x 1');
select throws_ok($$ select api.apply_dividend('TINY', 1000000000.00000001, current_date + 2, current_date + 2) $$,
    '22023', null, 'a dividend per share above app.max_price() is refused');
select throws_ok($$ select api.apply_dividend('TINY', 0.000000001, current_date + 2, current_date + 2) $$,
    '22023', null, 'a dividend per share that rounds to zero is refused');

-- 8. Splits keep the quote within the price limits; the check is the symbol's, before anything changes.
select throws_ok($$ select api.apply_split('TINY', 1, 1000000, current_date + 1) $$, '22023', null,
    'a reverse split that would take the quote above app.max_price() is refused');
do $$ begin perform api.upsert_security('PENNY', 'Penny', 'stock'); end $$;
do $$ begin perform api.record_price('PENNY', 0.00001, now() - interval '1 hour'); end $$;
select throws_ok($$ select api.apply_split('PENNY', 1000000, 1, current_date) $$, '22023', null,
    'a split that would take the quote below 0.00000001 is refused (before: 23514)');
select is(pg_temp.quote('PENNY'), 0.00001::numeric, 'the refused split changed nothing');
select is(api.apply_split('PENNY', 1000, 1, current_date), 0, 'a split that keeps the quote within the limits works');
select is(pg_temp.quote('PENNY'), 0.00000001::numeric, 'at the smallest price');

-- 9. Expiry runs and FX rates.
select throws_ok($$ select api.expire_orders(now() + interval '1 day') $$, '22023', null,
    'an expiry run dated beyond the clock skew is refused (it would end today''s day orders early)');
select is(api.expire_orders(now() + interval '1 minute'), 0, 'an expiry run within it works');
select throws_ok($$ insert into market.fx_rates values ('USD', 'XTS', now(), 1000000000) $$, '23514', null,
    'an FX rate whose inverse rounds to zero is refused');
select throws_ok($$ insert into market.fx_rates values ('USD', 'XTS', now(), 0.0000001) $$, '23514', null,
    'so is one that rounds to almost nothing');
select lives_ok($$ insert into market.fx_rates values ('USD', 'XTS', now(), 1000000) $$, 'a rate of 10^6 is a rate');

-- 10. Running totals are wide enough for any sequence of trades within the limits.
select col_type_is('trading', 'positions', 'realized_pnl', 'app', 'money_total', 'realized P&L over a life is a money_total');
select col_type_is('trading', 'account_snapshots', 'equity', 'app', 'money_total', 'equity is a money_total');
select col_type_is('trading', 'trading_sessions', 'realized_pnl', 'app', 'money_total', 'a session''s P&L is a money_total');
select col_type_is('risk', 'violations', 'observed', 'numeric', 'a violation''s observed value is any number');
update trading.positions set realized_pnl = -99999999999999999999.5 where account_id = (select b from t);
select is((select realized_pnl::numeric from trading.positions where account_id = (select b from t)),
    -99999999999999999999.5::numeric, 'realized P&L holds 10^20');
update trading.positions set realized_pnl = 0 where account_id = (select b from t);

-- 11. A resting order whose fill has outgrown the money types since it was placed (its price moved by
--     orders of magnitude) is canceled with the limit as its reason before anything is computed in them,
--     and the tick goes through for everyone (before: set aside with numeric field overflow, SQLSTATE 22003).
do $$ begin perform api.upsert_security('JUMP', 'Jump', 'stock'); end $$;
do $$ begin perform api.record_price('JUMP', 1, now() - interval '1 hour'); end $$;
do $$ begin perform api.act_as((select ua from t)); end $$;
create temporary table jump as
select api.create_account('Jump', 'paper', null, 1000000000) as id;
select is((api.execute_paper_trade((select id from jump), 'JUMP', 'buy', 20000000)).status::text, 'filled',
    'a position of 2e7 units at 1 is bought');
create temporary table jump_rest as
select id from api.execute_paper_trade((select id from jump), 'JUMP', 'sell', 20000000, 'limit', 2, null, 'gtc');
select is((select status::text from trading.orders where id = (select id from jump_rest)), 'new',
    'a sell limit of all of it at 2 rests (2 x 2e7 is well within the limits)');
create temporary table jump_cash as select pg_temp.cash((select id from jump)) as cash;
do $$ begin perform api.act_as((select ub from t)); end $$;
select is((api.execute_paper_trade((select b from t), 'JUMP', 'buy', 1)).status::text, 'filled',
    'another user buys one unit');
create temporary table jump_other as
select id from api.execute_paper_trade((select b from t), 'JUMP', 'sell', 1, 'limit', 2, null, 'gtc');
select is(pg_temp.state($$ select api.record_price('JUMP', 1000000000, clock_timestamp()) $$), null,
    'a tick at 1e9 succeeds: the fill of 2e16 does not block it');
select is(pg_temp.quote('JUMP'), 1000000000::numeric, 'the quote moved');
select is((select status::text from trading.orders where id = (select id from jump_other)), 'filled',
    'the other user''s resting sell limit fills at the new price');
select is((select status::text from trading.orders where id = (select id from jump_rest)), 'canceled',
    'the sell limit whose fill would overflow is canceled');
select alike((select cancel_reason from trading.orders where id = (select id from jump_rest)),
    'the fill of 20000000.0000000000 JUMP at % would amount to % USD with fees, above the limit of 2000000000000000 USD',
    'with the limit as its reason');
select unalike((select cancel_reason from trading.orders where id = (select id from jump_rest)), '%SQLSTATE%',
    'not set aside with an error');
select results_eq(
    $$ select kind::text, level::text, message from notify.events
       where data ->> 'order_id' = (select id::text from jump_rest) $$,
    $$ select 'order_canceled'::text, 'warning'::text, cancel_reason from trading.orders where id = (select id from jump_rest) $$,
    'its owner gets an order_canceled event with the reason'
);
select results_eq(
    $$ select p.quantity::numeric, p.reserved_quantity::numeric, a.cash::numeric from trading.positions as p
       inner join trading.accounts as a on p.account_id = a.id
       where a.id = (select id from jump) and p.security_id = (select id from market.securities where symbol = 'JUMP') $$,
    $$ select 20000000::numeric, 0::numeric, cash from jump_cash $$,
    'nothing filled: the position is whole and released, the cash unchanged'
);
-- The same for a fill in another currency whose FX rate has since risen by orders of magnitude.
do $$ begin perform api.upsert_security('FXJ', 'FX jump', 'stock', null, 'XTS'); end $$;
insert into market.fx_rates values ('XTS', 'USD', now() - interval '1 hour', 1);
do $$ begin perform api.record_price('FXJ', 1, now() - interval '1 hour'); end $$;
do $$ begin perform api.act_as((select ua from t)); end $$;
select is((api.execute_paper_trade((select id from jump), 'FXJ', 'buy', 20000000)).status::text, 'filled',
    'a position of 2e7 units at 1 XTS (1 USD) is bought');
create temporary table fx_rest as
select id from api.execute_paper_trade((select id from jump), 'FXJ', 'sell', 20000000, 'limit', 2, null, 'gtc');
insert into market.fx_rates values ('XTS', 'USD', now(), 1000000);
select is(pg_temp.state($$ select api.record_price('FXJ', 1000, clock_timestamp()) $$), null,
    'a tick at 1000 XTS, now 10^9 USD, succeeds');
select alike((select status::text || ': ' || cancel_reason from trading.orders where id = (select id from fx_rest)),
    'canceled: the fill of 20000000.0000000000 FXJ at 1000 would amount to 20000000000000000.00000000 USD with fees%',
    'the sell limit is canceled with the limit as its reason (before: set aside with SQLSTATE 22003)');
-- And for a resting buy stop whose price gapped far beyond its reservation: the position's cost basis
-- (1.9997e15, with a 100 % commission) would go above app.max_balance().
do $$ begin perform api.upsert_security('GAP', 'Gap', 'stock'); end $$;
do $$ begin perform api.record_price('GAP', 10000, now() - interval '1 hour'); end $$;
create temporary table gap as
select api.create_account('Gap', 'paper', null, 1000000000000000, 'USD', '{"commission_rate": 1}') as id;
create temporary table gap_rest as
select id from api.execute_paper_trade((select id from gap), 'GAP', 'buy', 1000, 'stop', null, 20000, 'gtc');
select is((select status::text from trading.orders where id = (select id from gap_rest)), 'new', 'a buy stop rests');
select is((api.execute_paper_trade((select id from gap), 'GAP', 'buy', 49990000000)).status::text, 'filled',
    'a buy costing 0.9998e15 fills');
do $$ begin perform api.deposit((select id from gap), 1000000000000000); end $$;
select is((api.execute_paper_trade((select id from gap), 'GAP', 'buy', 49995000000)).status::text, 'filled',
    'another costing 0.9999e15 fills');
do $$ begin perform api.deposit((select id from gap), 10000000000000); end $$;
select is(pg_temp.state($$ select api.record_price('GAP', 1000000000, clock_timestamp()) $$), null,
    'a tick at 1e9 succeeds');
select alike((select status::text || ': ' || cancel_reason from trading.orders where id = (select id from gap_rest)),
    'canceled: the fill of 1000.0000000000 GAP at % would take the position''s cost basis to % USD, above the limit of 2000000000000000 USD',
    'the buy stop is canceled with the cost basis limit as its reason');
select is((select cost_basis::numeric from trading.positions where account_id = (select id from gap)),
    1999700000000000::numeric, 'the cost basis stayed within the limit');

select is_empty('select * from ops.verify_invariants()', 'the ledger invariants hold');
select * from finish();
rollback;
