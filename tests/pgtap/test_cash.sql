-- Cash movements: api.deposit, api.withdraw, api.transfer_cash (idempotency, conflicts, status, funds,
-- currencies, validation) and api.account_balance at past times.
begin;
select plan(55);

insert into auth.users (email, username) values ('cash-a@example.com', 'cash_a');
select lives_ok($$ select api.act_as((select id from auth.users where username = 'cash_a')) $$, 'act as user A');
create temporary table acc as
select
    (select id from trading.accounts where name = 'Paper Trading'
        and user_id = (select id from auth.users where username = 'cash_a')) as main,
    api.create_account('Second', 'paper', null, 1000) as second,
    api.create_account('Euro', 'paper', null, 500, 'EUR') as eur,
    trading.system_account('external_cash', 'USD') as ext;
create temporary table mark (label text primary key, at timestamptz, journal bigint);
insert into mark values ('before deposit', clock_timestamp(), null);

-- Deposit, and an idempotent retry.
insert into mark values ('deposit', null, api.deposit((select main from acc), 250.5, 'dep-1', 'payday'));
select is((select cash::numeric from trading.accounts where id = (select main from acc)), 100250.5, 'a deposit adds cash');
-- updated_at follows the account's attributes, not its cash.
update trading.accounts set updated_at = '2000-01-01' where id = (select second from acc);
do $$ begin perform api.deposit((select second from acc), 1); perform api.withdraw((select second from acc), 1); end $$;
select is((select updated_at from trading.accounts where id = (select second from acc)), '2000-01-01'::timestamptz,
    'a cash movement leaves updated_at alone');
update trading.accounts set name = 'Second account' where id = (select second from acc);
select is((select updated_at from trading.accounts where id = (select second from acc)), now(),
    'a rename stamps updated_at');
update trading.accounts set name = 'Second' where id = (select second from acc);
insert into market.benchmarks (symbol, name) values ('CASHBM', 'Cash test benchmark');
update trading.accounts set updated_at = '2000-01-01' where id = (select second from acc);
update trading.accounts set benchmark_id = (select id from market.benchmarks where symbol = 'CASHBM')
where id = (select second from acc);
select is((select updated_at from trading.accounts where id = (select second from acc)), now(),
    'choosing a benchmark stamps updated_at');

select results_eq(
    $$ select account_id, amount::numeric, balance_after::numeric, kind::text, memo::text from trading.transactions
       where journal_id = (select journal from mark where label = 'deposit') order by amount $$,
    $$ values ((select ext from acc), -250.5, null::numeric, 'deposit', 'payday'),
              ((select main from acc), 250.5, 100250.5, 'deposit', 'payday') $$,
    'a deposit is one journal against the external_cash account'
);
select is(api.deposit((select main from acc), 250.50, 'dep-1', 'payday'), (select journal from mark where label = 'deposit'),
    'a retry with the same key and arguments returns the first journal');
select is((select cash::numeric from trading.accounts where id = (select main from acc)), 100250.5, 'and moves nothing');
select throws_ok($$ select api.deposit((select main from acc), 251, 'dep-1', 'payday') $$, 'TB042', null,
    'the same key with another amount is a conflict');
select throws_ok($$ select api.deposit((select main from acc), 250.5, 'dep-1', 'other memo') $$, 'TB042', null,
    'the same key with another memo is a conflict');
select throws_ok($$ select api.withdraw((select main from acc), 250.5, 'dep-1', 'payday') $$, 'TB042', null,
    'the same key for another operation is a conflict');
select isnt(api.deposit((select second from acc), 250.5, 'dep-1', 'payday'), (select journal from mark where label = 'deposit'),
    'keys are per account');
insert into mark values ('after deposit', clock_timestamp(), null);

-- Withdraw: at most cash less reserved cash.
select ok(api.withdraw((select main from acc), 0.5, 'wd-1') > 0, 'a withdrawal returns its journal');
select is((select cash::numeric from trading.accounts where id = (select main from acc)), 100250.0, 'a withdrawal takes cash');
select is(api.withdraw((select main from acc), 0.5, 'wd-1'), api.withdraw((select main from acc), 0.5, 'wd-1'),
    'withdrawals are idempotent too');
select throws_ok($$ select api.withdraw((select main from acc), 100250.01) $$, 'TB040', null, 'no overdraft');
update trading.accounts set reserved_cash = 100000 where id = (select main from acc);
select throws_ok($$ select api.withdraw((select main from acc), 250.01) $$, 'TB040', null,
    'cash reserved by open orders cannot be withdrawn');
select lives_ok($$ select api.withdraw((select main from acc), 250) $$, 'unreserved cash can');
update trading.accounts set reserved_cash = 0 where id = (select main from acc);
insert into mark values ('after withdrawals', clock_timestamp(), null);

-- Transfers between own accounts.
select ok(api.transfer_cash((select main from acc), (select second from acc), 1000, 'tr-1') > 0, 'a transfer');
select results_eq(
    $$ select cash::numeric from trading.accounts where id in ((select main from acc), (select second from acc))
       order by name $$,
    $$ values (99000.0), (2250.5) $$,
    'a transfer moves cash between the two accounts'
);
select is(
    (select count(*) from trading.transactions where kind = 'transfer'), 2::bigint, 'a transfer is two postings'
);
select lives_ok($$ select api.transfer_cash((select main from acc), (select second from acc), 1000, 'tr-1') $$,
    'a transfer retried');
select is((select count(*) from trading.transactions where kind = 'transfer'), 2::bigint, 'posts nothing new');
select throws_ok($$ select api.transfer_cash((select main from acc), (select second from acc), 999, 'tr-1') $$,
    'TB042', null, 'a transfer key reused with another amount');
select throws_ok($$ select api.transfer_cash((select main from acc), (select eur from acc), 1) $$, 'TB044', null,
    'no transfer between currencies');
select throws_ok($$ select api.transfer_cash((select main from acc), (select main from acc), 1) $$, '22023', null,
    'no transfer to the same account');
select throws_ok($$ select api.transfer_cash((select second from acc), (select main from acc), 1000000) $$, 'TB040',
    null, 'no transfer beyond available cash');
select throws_ok($$ select api.transfer_cash((select main from acc), (select ext from acc), 1) $$, '22023', null,
    'no transfer into a system account');
select throws_ok($$ select api.deposit((select ext from acc), 1) $$, '22023', null,
    'no deposit into a system account');

-- Inactive accounts take no cash movements.
update trading.accounts set status = 'paused' where id = (select second from acc);
select throws_ok($$ select api.deposit((select second from acc), 1) $$, 'TB043', null, 'no deposit into a paused account');
select throws_ok($$ select api.transfer_cash((select main from acc), (select second from acc), 1) $$, 'TB043', null,
    'no transfer into a paused account');
select throws_ok($$ select api.withdraw((select second from acc), 1) $$, 'TB043', null,
    'no withdrawal from a paused account');
update trading.accounts set status = 'active' where id = (select second from acc);

-- Validation: never a cast error.
select throws_ok($$ select api.deposit((select main from acc), 'NaN') $$, '22023', null, 'NaN');
select throws_ok($$ select api.deposit((select main from acc), 'Infinity') $$, '22023', null, 'Infinity');
select throws_ok($$ select api.deposit((select main from acc), null) $$, '22023', null, 'null amount');
select throws_ok($$ select api.deposit((select main from acc), 0) $$, '22023', null, 'zero');
select throws_ok($$ select api.withdraw((select main from acc), -5) $$, '22023', null, 'negative');
select throws_ok($$ select api.deposit((select main from acc), 1e20) $$, '22023', null, 'too large for money');
select throws_ok($$ select api.deposit((select main from acc), 0.000000001) $$, '22023', null, 'more than 8 decimals');
select throws_ok($$ select api.deposit((select main from acc), 1, repeat('k', 201)) $$, '22023', null, 'key too long');
select throws_ok($$ select api.deposit((select main from acc), 1, '') $$, '22023', null, 'empty key');
select throws_ok($$ select api.deposit((select main from acc), 1, null, repeat('m', 501)) $$, '22023', null,
    'memo too long');
select throws_ok($$ select api.deposit(gen_random_uuid(), 1) $$, 'P0002', null, 'unknown account');
select throws_ok($$ select api.withdraw(null, 1) $$, '22023', null, 'null account');

-- Balances at any time.
select results_eq(
    $$ select api.account_balance((select main from acc), at)::numeric from mark where at is not null order by at $$,
    $$ values (100000.0), (100250.5), (100000.0) $$,
    'api.account_balance answers past balances'
);
select is(api.account_balance((select main from acc), clock_timestamp())::numeric, 99000.0,
    'the clock time includes this transaction''s postings');
select is(api.account_balance((select main from acc))::numeric, 0.0,
    'the default now() is the start of the transaction, before the account existed');
select is(api.account_balance((select main from acc), now() - interval '1 day')::numeric, 0.0,
    'before the first posting the balance is zero');
select is(
    api.account_balance((select ext from acc), clock_timestamp())::numeric,
    (select -sum(amount)::numeric from trading.transactions where account_id <> (select ext from acc)
        and journal_id in (select journal_id from trading.transactions where account_id = (select ext from acc))),
    'a system account''s balance is the sum of its postings'
);
select throws_ok($$ select api.account_balance((select main from acc), null) $$, '22023', null, 'p_at is required');

select is_empty('select * from ops.verify_invariants()', 'the ledger invariants hold');

-- The running external flow (trading.accounts.external_flow): every movement above was one, so it equals
-- the cash of each account (the initial balances, deposits, withdrawals and transfers), and a posting
-- of another kind leaves it alone.
select results_eq(
    $$ select external_flow::numeric from trading.accounts where id in (select main from acc union all
       select second from acc union all select eur from acc) order by id $$,
    $$ select cash::numeric from trading.accounts where id in (select main from acc union all
       select second from acc union all select eur from acc) order by id $$,
    'deposits, withdrawals, transfers and initial balances are external flows'
);
do $$ begin perform trading.post_journal('dividend', array[
    ((select main from acc), 7)::trading.journal_line,
    ((select ext from acc), -7)::trading.journal_line
]); end $$;
select results_eq(
    $$ select cash::numeric - external_flow::numeric from trading.accounts where id = (select main from acc) $$,
    $$ values (7::numeric) $$,
    'a dividend moves cash, not the external flow'
);
update trading.accounts set external_flow = external_flow + 1 where id = (select main from acc);
select results_eq(
    $$ select count(*)::integer from ops.verify_invariants() where detail like '%external_flow%' $$,
    $$ values (1) $$,
    'an external flow that its postings do not add up to breaks an invariant'
);
update trading.accounts set external_flow = external_flow - 1 where id = (select main from acc);
select is_empty('select * from ops.verify_invariants()', 'and holds again');

select * from finish();
rollback;
