-- The row rules of lots, positions and accounts that tie several columns together (check
-- constraints): each is kept on a valid write and refused (23514, naming the rule) on a write that
-- breaks it. And orders, which have no foreign key to their security (migration 0350_orders), are checked
-- by an invariant. And the rules that triggers hold for every writer: an account's kind and holder never
-- change, and a fund's accounts are a fund account and a live account of its manager's.
begin;
select plan(35);

insert into auth.users (email, username) values ('rules@example.com', 'rules_u');
do $$ begin perform api.act_as((select id from auth.users where username = 'rules_u')); end $$;
create temporary table t as select api.create_account('rules', 'paper', null, 100000) as a;
do $$ begin perform api.upsert_security('RUL', 'Row rules', 'stock'), api.record_price('RUL', 10); end $$;
create temporary table o as
select (api.execute_paper_trade((select a from t), 'RUL', 'buy', 4)).id as filled,
    (api.execute_paper_trade((select a from t), 'RUL', 'buy', 1, 'limit', 5)).id as resting;
create temporary table l as
select l.id from trading.lots as l where l.account_id = (select a from t);

select is((select status::text from trading.orders where id = (select filled from o)), 'filled',
    'a market order fills and opens a lot and a position');
select is_empty('select * from ops.verify_invariants()', 'the books are consistent after the trade');

-- Lots (and positions below) are changed by hand inside a savepoint, rolled back before the books
-- are checked again.
savepoint by_hand;
select lives_ok($$ update trading.lots set open_quantity = 2, cost_basis = 20 where id = (select id from l) $$,
    'a lot may be partly open');
select throws_ok($$ update trading.lots set open_quantity = 8 where id = (select id from l) $$,
    '23514', null, 'a lot cannot hold more than it opened with');
select throws_like($$ update trading.lots set open_quantity = -1 where id = (select id from l) $$,
    '%lots_open_within_quantity%', 'nor the other side of zero (the message names the rule)');
select lives_ok(
    $$ update trading.lots set quantity = -4, open_quantity = -2, cost_basis = -20 where id = (select id from l) $$,
    'a short lot may be partly open'
);
select throws_like($$ update trading.lots set open_quantity = 1 where id = (select id from l) $$,
    '%lots_open_within_quantity%', 'but not on the long side of zero');
select throws_ok($$ update trading.lots set open_quantity = -5 where id = (select id from l) $$,
    '23514', null, 'nor hold more than it opened with');
select throws_ok($$ update trading.lots set closed_at = now() where id = (select id from l) $$,
    '23514', null, 'an open lot is not closed');
select throws_like(
    $$ update trading.lots set open_quantity = 0, cost_basis = 0 where id = (select id from l) $$,
    '%lots_closed_when_empty%', 'an empty lot is closed (the message names the rule)'
);
select throws_ok(
    $$ update trading.lots set open_quantity = 0, closed_at = now(), cost_basis = 5 where id = (select id from l) $$,
    '23514', null, 'an empty lot has no cost basis'
);
select lives_ok(
    $$ update trading.lots set open_quantity = 0, closed_at = now(), cost_basis = 0 where id = (select id from l) $$,
    'an empty lot, closed and without cost, is kept'
);

-- Positions.
select throws_ok(
    $$ update trading.positions set reserved_quantity = 5 where account_id = (select a from t) $$,
    '23514', null, 'open orders cannot reserve more than the position holds'
);
select throws_like(
    $$ update trading.positions set reserved_quantity = -1 where account_id = (select a from t) $$,
    '%nonnegative_quantity_not_below_zero%', 'nor a negative quantity (the column''s domain names the rule)'
);
select throws_like(
    $$ update trading.positions set quantity = 0 where account_id = (select a from t) $$,
    '%positions_flat_has_no_cost%', 'a flat position has no cost basis (the message names the rule)'
);
select lives_ok(
    $$ update trading.positions set quantity = 0, cost_basis = 0 where account_id = (select a from t) $$,
    'a flat position without cost is kept'
);

rollback to savepoint by_hand;

-- Accounts: owner, purpose and default say whether it is a user or a system account.
select throws_ok($$ update trading.accounts set user_id = null where id = (select a from t) $$,
    '23514', null, 'a user account keeps its owner');
select throws_like(
    $$ update trading.accounts set system_purpose = 'fee_income' where id = (select a from t) $$,
    '%accounts_system_purpose_only_for_system%', 'only system accounts have a purpose (the message names the rule)'
);
select throws_like(
    $$ update trading.accounts set is_default = true
       where kind = 'system' and system_purpose = 'market_clearing' and base_currency = 'USD' $$,
    '%accounts_system_never_default%', 'a system account is never a default'
);
select throws_like(
    $$ insert into trading.accounts (user_id, name, kind, base_currency, system_purpose, cash)
       values ((select id from auth.users where username = 'rules_u'), 'rules system', 'system', 'USD', 'fee_income',
       null) $$,
    '%accounts_owner_unless_system%', 'a system account has no owner'
);
select throws_ok($$ update trading.accounts set cash = null where id = (select a from t) $$,
    '23514', null, 'a user account keeps its cash (the check that stays)');
select lives_ok($$ update trading.accounts set name = 'renamed' where id = (select a from t) $$,
    'a valid change of the account passes its checks');
select lives_ok(
    $$ select api.deposit((select a from t), 10) $$, 'a cash movement passes them too'
);

-- Orders name their security without a foreign key; the invariant checks it.
select col_is_fk('trading', 'orders', 'account_id', 'orders keep their foreign key to the account');
select col_isnt_fk('trading', 'orders', 'security_id', 'orders have no foreign key to their security');
savepoint orphan;
update trading.orders set security_id = gen_random_uuid() where id = (select resting from o);
select ok(exists (select from ops.verify_invariants() where invariant = 'orders_reference_securities'),
    'an order naming a security that does not exist is reported');
rollback to savepoint orphan;
-- An account's kind and holder are fixed (trading.accounts_kind_and_holder_fixed), whoever writes.
select throws_ok(
    $$ update trading.accounts set kind = 'live' where id = (select a from t) $$, '23514',
    format('account %s stays a paper account of %s', (select a from t), (select id from auth.users where username = 'rules_u')),
    'an account''s kind does not change'
);
insert into auth.users (email, username, role) values
('rules-m@example.com', 'rules_m', 'fund_manager'), ('rules-n@example.com', 'rules_n', 'fund_manager');
select throws_ok(
    $$ update trading.accounts set user_id = (select id from auth.users where username = 'rules_m')
    where id = (select a from t) $$, '23514',
    format('account %s stays a paper account of %s', (select a from t), (select id from auth.users where username = 'rules_u')),
    'nor its holder'
);
select lives_ok(
    $$ update trading.accounts set name = 'rules renamed', kind = 'paper' where id = (select a from t) $$,
    'an update that leaves them as they are passes'
);

-- A fund's accounts are a fund account and a live account of its manager's (fund.funds_hold_their_accounts).
do $$ begin perform api.act_as((select id from auth.users where username = 'rules_m')); end $$;
create temporary table fr as
select api.create_fund('Rules Fund', 'mini') as fund, api.create_account('rules m live', 'live') as live,
    api.create_account('rules m paper', 'paper') as paper;
select throws_ok(
    $$ update fund.funds set account_id = (select live from fr) where id = (select fund from fr) $$, '23514',
    format('fund %s''s account %s is a live account of %s, not a fund account of its manager %s',
        (select fund from fr), (select live from fr), (select id from auth.users where username = 'rules_m'),
        (select id from auth.users where username = 'rules_m')),
    'a fund does not trade through a live account'
);
select throws_ok(
    $$ update fund.funds set fee_account_id = (select paper from fr) where id = (select fund from fr) $$, '23514',
    format('fund %s''s fee account %s is a paper account of %s, not a live account of its manager %s',
        (select fund from fr), (select paper from fr), (select id from auth.users where username = 'rules_m'),
        (select id from auth.users where username = 'rules_m')),
    'nor pays its fees into a paper account'
);
select throws_ok(
    $$ update fund.funds set manager_id = (select id from auth.users where username = 'rules_n')
    where id = (select fund from fr) $$, '23514',
    format('fund %s''s account %s is a fund account of %s, not a fund account of its manager %s',
        (select fund from fr), (select account_id from fund.funds where id = (select fund from fr)),
        (select id from auth.users where username = 'rules_m'), (select id from auth.users where username = 'rules_n')),
    'nor passes to a manager whose accounts they are not'
);
select lives_ok(
    $$ update fund.funds set fee_account_id = (select live from fr) where id = (select fund from fr) $$,
    'another live account of the manager''s takes the fees'
);
select is(
    (select (a.kind::text, a.user_id = f.manager_id, e.kind::text, e.user_id = f.manager_id)
    from fund.funds as f
    inner join trading.accounts as a on f.account_id = a.id
    inner join trading.accounts as e on f.fee_account_id = e.id
    where f.id = (select fund from fr)),
    ('fund'::text, true, 'live'::text, true),
    'and the refused updates changed nothing'
);

select is_empty('select * from ops.verify_invariants()', 'the books are consistent at the end');

select * from finish();
rollback;
