-- Splits (lots and resting orders scale, cost basis stays, cash in lieu of fractions of
-- non-fractionable securities) and dividends to holders of record on the ex-date.
begin;
select plan(21);

insert into auth.users (email, username) values ('ca-d@example.com', 'ca_d');
create temporary table t as
select u.id as u, (select a.id from trading.accounts as a where a.user_id = u.id) as a
from auth.users as u where u.username = 'ca_d';
do $$ begin perform api.act_as((select u from t)); end $$;
do $$ begin perform api.upsert_security('SPL', 'Splits', 'stock'); end $$;
do $$ begin perform api.upsert_security('WHL', 'Whole units', 'stock', null, 'USD', false); end $$;
do $$ begin perform api.record_price('SPL', 100, now() - interval '1 hour'); end $$;
do $$ begin perform api.record_price('WHL', 100, now() - interval '1 hour'); end $$;
do $$ begin perform api.execute_paper_trade((select a from t), 'SPL', 'buy', 3); end $$;
do $$ begin perform api.execute_paper_trade((select a from t), 'WHL', 'buy', 3); end $$;
create temporary table resting as
select id from api.execute_paper_trade((select a from t), 'SPL', 'buy', 2, 'limit', 90, null, 'gtc');
create function pg_temp.position(p_symbol text) returns table (quantity numeric, cost numeric, realized numeric)
language sql as $f$
    select p.quantity, p.cost_basis, p.realized_pnl from trading.positions as p
    where p.account_id = (select a from t) and p.security_id = (select id from market.securities where symbol = p_symbol)
$f$;

-- 3-for-2: 3 units at a cost of 300 become 4.5; the resting order's 2 @ 90 becomes 3 @ 60.
select is(api.apply_split('SPL', 3, 2, current_date), 1, 'the split adjusts one position');
select results_eq($$ select * from pg_temp.position('SPL') $$, $$ values (4.5::numeric, 300::numeric, 0::numeric) $$,
    'units scale, cost basis stays');
select results_eq(
    $$ select quantity::numeric, limit_price::numeric, reserved_cash::numeric from trading.orders where id = (select id from resting) $$,
    $$ values (3::numeric, 60::numeric, 180::numeric) $$, 'the resting order scales: 3 @ 60 hold the same cash'
);
select is((select price::numeric from market.quotes where security_id = (select id from market.securities where symbol = 'SPL')),
    66.66666667::numeric, 'the quote is split-adjusted');

-- Non-fractionable: 4.5 units keep 4; the half unit is paid at 66.66666667: 33.33333334 for a cost of 33.33333333.
select is(api.apply_split('WHL', 3, 2, current_date), 1, 'the split adjusts the whole-unit position');
select results_eq($$ select * from pg_temp.position('WHL') $$,
    $$ values (4::numeric, 266.66666667::numeric, 0.00000001::numeric) $$, 'the fraction is closed out of the lots');
select results_eq(
    $$ select kind, quantity::numeric, cash::numeric from trading.position_adjustments
       where security_id = (select id from market.securities where symbol = 'WHL') order by id $$,
    $$ values ('split'::text, 1.5::numeric, 0::numeric), ('cash_in_lieu', -0.5, 33.33333334) $$,
    'the split and the cash in lieu are recorded'
);
select is((select cash::numeric from trading.accounts where id = (select a from t)), 99433.33333334::numeric,
    'cash in lieu reached cash (100000 - 300 - 300 + 33.33333334)');
select throws_ok($$ select api.apply_split('SPL', 3, 2, current_date) $$, 'TB064', null, 'a split applies once');
select throws_ok($$ select api.apply_split('SPL', 2, 2, current_date + 1) $$, '22023', null, '2-for-2 is not a split');
select throws_ok($$ select api.apply_split('NOPE', 2, 1, current_date) $$, 'P0002', null, 'unknown symbol');

-- Dividend 0.5 per unit, ex tomorrow: 4.5 SPL units of record (3 bought + 1.5 from the split) receive 2.25.
select is(api.apply_dividend('SPL', 0.5, current_date + 1, current_date + 10), 1, 'one holder of record is paid');
select is((select cash::numeric from trading.accounts where id = (select a from t)), 99435.58333334::numeric,
    'the dividend reached cash');
select throws_ok($$ select api.apply_dividend('SPL', 0.5, current_date + 1, current_date + 10) $$, 'TB064', null,
    'a dividend applies once');
select throws_ok($$ select api.apply_dividend('SPL', 0.5, current_date + 5, current_date + 1) $$, '22023', null,
    'the pay date follows the ex-date');

-- Reset: the resting order is canceled, both positions are closed at cost, cash is 100000 again.
do $$ begin perform api.reset_paper_account((select a from t)); end $$;
select results_eq(
    $$ select status::text, cancel_reason from trading.orders where id = (select id from resting) $$,
    $$ values ('canceled'::text, 'paper account reset'::text) $$, 'reset cancels open orders'
);
select results_eq(
    $$ select count(*)::integer, sum(abs(quantity))::numeric, sum(cost_basis)::numeric from trading.positions
       where account_id = (select a from t) $$,
    $$ values (2, 0::numeric, 0::numeric) $$, 'reset closes every position''s books'
);
select results_eq(
    $$ select cash::numeric, reserved_cash::numeric from trading.accounts where id = (select a from t) $$,
    $$ values (100000::numeric, 0::numeric) $$, 'reset brings cash back to the initial balance'
);
select throws_ok($$ select api.reset_paper_account(api.create_account('Live one', 'live')) $$, '22023', null,
    'only paper accounts reset');
select throws_ok($$ select api.reset_paper_account(gen_random_uuid()) $$, 'P0002', null, 'unknown account');

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');

select * from finish();
rollback;
