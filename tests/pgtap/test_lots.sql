-- Lots and realized P&L, computed by hand: FIFO against average cost on the same trades, fees in
-- the cost basis and in the proceeds, and shorts (open, partial cover, no flip through zero, cover).
begin;
select plan(16);
-- Each tick is stamped a minute after the last, ahead of the transaction's start; the default tolerance
-- is 5 minutes (docs/trading.md, Limits).
update auth.settings set value = '604800' where name = 'clock_skew_seconds';

insert into auth.users (email, username) values ('lots-c@example.com', 'lots_c');
do $$ begin perform api.act_as((select id from auth.users where username = 'lots_c')); end $$;
create temporary table t as
select
    api.create_account('fifo', 'paper', null, 100000, 'USD', '{"cost_basis_method": "fifo"}') as f,
    api.create_account('average', 'paper', null, 100000, 'USD', '{"cost_basis_method": "average"}') as v,
    api.create_account('fees', 'paper', null, 100000, 'USD', '{"commission_per_order": 1}') as g,
    api.create_account('shorts', 'paper', null, 100000, 'USD', '{"allow_short": true, "commission_per_order": 1}') as s;
do $$ begin perform api.upsert_security('LOT', 'Lot test', 'stock'); end $$;
create temporary table clock (n integer);
insert into clock values (0);
-- Each price is a new tick one minute after the previous one.
create function pg_temp.price(p_price numeric) returns void language sql as $f$
    update clock set n = n + 1;
    select api.record_price('LOT', p_price, now() + make_interval(mins => (select n from clock)));
$f$;
create function pg_temp.trade(p_account uuid, p_side text, p_quantity numeric) returns text language sql as $f$
    select o.status from api.execute_paper_trade(p_account, 'LOT', p_side, p_quantity) as o
$f$;
create function pg_temp.position(p_account uuid) returns table (quantity numeric, cost_basis numeric, realized numeric)
language sql as $f$
    select p.quantity, p.cost_basis, p.realized_pnl from trading.positions as p
    where p.account_id = p_account and p.security_id = (select id from market.securities where symbol = 'LOT')
$f$;
create function pg_temp.closures(p_account uuid) returns table (q numeric, cost numeric, proceeds numeric, pnl numeric)
language sql as $f$
    select c.quantity, c.cost_basis, c.proceeds, c.realized_pnl from trading.lot_closures as c
    where c.account_id = p_account order by c.id
$f$;

-- Buy 10 @ 100 and 10 @ 120 on both accounts, then sell 15 @ 130.
do $$ begin perform pg_temp.price(100); end $$;
do $$ begin perform pg_temp.trade((select f from t), 'buy', 10), pg_temp.trade((select v from t), 'buy', 10); end $$;
do $$ begin perform pg_temp.price(120); end $$;
do $$ begin perform pg_temp.trade((select f from t), 'buy', 10), pg_temp.trade((select v from t), 'buy', 10); end $$;
do $$ begin perform pg_temp.price(130); end $$;
do $$ begin perform pg_temp.trade((select f from t), 'sell', 15), pg_temp.trade((select v from t), 'sell', 15); end $$;

-- FIFO: the 100 lot closes first (1300 - 1000 = 300), then 5 of the 120 lot (650 - 600 = 50).
select results_eq($$ select * from pg_temp.closures((select f from t)) $$,
    $$ values (10::numeric, 1000::numeric, 1300::numeric, 300::numeric), (5, 600, 650, 50) $$, 'FIFO closes the oldest lot first');
select results_eq($$ select * from pg_temp.position((select f from t)) $$,
    $$ values (5::numeric, 600::numeric, 350::numeric) $$, 'FIFO: 5 left at 120, realized 350');
-- Average cost 110: 10 x (130 - 110) = 200, then 5 x 20 = 100.
select results_eq($$ select * from pg_temp.closures((select v from t)) $$,
    $$ values (10::numeric, 1100::numeric, 1300::numeric, 200::numeric), (5, 550, 650, 100) $$, 'average cost closes at 110');
select results_eq($$ select * from pg_temp.position((select v from t)) $$,
    $$ values (5::numeric, 550::numeric, 300::numeric) $$, 'average: 5 left at 110, realized 300');
-- Average again: + 5 @ 140 makes 10 at 125; selling all @ 150 realizes 250 more.
do $$ begin perform pg_temp.price(140); end $$;
do $$ begin perform pg_temp.trade((select v from t), 'buy', 5); end $$;
select results_eq($$ select * from pg_temp.position((select v from t)) $$,
    $$ values (10::numeric, 1250::numeric, 300::numeric) $$, 'average: 10 at a mean cost of 125');
do $$ begin perform pg_temp.price(150); end $$;
do $$ begin perform pg_temp.trade((select v from t), 'sell', 10); end $$;
select results_eq($$ select * from pg_temp.position((select v from t)) $$,
    $$ values (0::numeric, 0::numeric, 550::numeric) $$, 'average: flat, realized 550, no cost left');
select is((select count(*)::integer from trading.lots where account_id = (select v from t) and open_quantity <> 0), 0,
    'every lot is closed');

-- Fees: a buy's commission is cost (1001), a sell's reduces proceeds (1099): realized 98.
do $$ begin perform pg_temp.price(100); end $$;
do $$ begin perform pg_temp.trade((select g from t), 'buy', 10); end $$;
do $$ begin perform pg_temp.price(110); end $$;
do $$ begin perform pg_temp.trade((select g from t), 'sell', 10); end $$;
select results_eq($$ select * from pg_temp.closures((select g from t)) $$,
    $$ values (10::numeric, 1001::numeric, 1099::numeric, 98::numeric) $$, 'fees are in cost basis and proceeds');
select is((select cash::numeric from trading.accounts where id = (select g from t)), 100098::numeric,
    'cash moved by the realized P&L');

-- Shorts: sell 10 @ 100 brings in 999; covering 4 @ 90 costs 361 against 399.6 of the short: +38.6.
do $$ begin perform pg_temp.price(100); end $$;
select is(pg_temp.trade((select s from t), 'sell', 10), 'filled', 'a short sale fills where shorts are allowed');
select results_eq($$ select * from pg_temp.position((select s from t)) $$,
    $$ values (-10::numeric, -999::numeric, 0::numeric) $$, 'a short position holds minus its net proceeds');
do $$ begin perform pg_temp.price(90); end $$;
do $$ begin perform pg_temp.trade((select s from t), 'buy', 4); end $$;
select results_eq($$ select * from pg_temp.position((select s from t)) $$,
    $$ values (-6::numeric, -599.4::numeric, 38.6::numeric) $$, 'a partial cover realizes its share');
select is(pg_temp.trade((select s from t), 'buy', 7), 'rejected', 'covering more than the short would flip it: rejected');
do $$ begin perform pg_temp.price(80); end $$;
do $$ begin perform pg_temp.trade((select s from t), 'buy', 6); end $$;
select results_eq($$ select * from pg_temp.position((select s from t)) $$,
    $$ values (0::numeric, 0::numeric, 157::numeric) $$, 'covered at 80: 599.4 - 481 = 118.4 more, 157 in all');
select is((select cash::numeric from trading.accounts where id = (select s from t)), 100157::numeric,
    'the short''s profit is in cash');

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');

select * from finish();
rollback;
