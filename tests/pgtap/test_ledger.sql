-- The ledger core: system accounts, trading.post_journal, the balanced-journal constraint trigger,
-- and the ledger invariants catching what they guard.
begin;
select plan(39);

insert into auth.users (email, username) values ('ledger-a@example.com', 'ledger_a');
create temporary table ids as
select
    (select a.id from trading.accounts as a
        inner join auth.users as u on a.user_id = u.id where u.username = 'ledger_a') as acct,
    trading.system_account('external_cash', 'USD') as ext;

-- system_account: created once per (purpose, currency), race-safe, validated.
select is(trading.system_account('external_cash', 'USD'), (select ext from ids), 'system_account returns the same account');
select isnt(trading.system_account('external_cash', 'EUR'), (select ext from ids), 'each currency has its own');
select results_eq(
    $$ select kind::text, user_id, cash::numeric, is_default from trading.accounts where id = (select ext from ids) $$,
    $$ values ('system'::text, null::uuid, null::numeric, false) $$,
    'a system account has no owner and no maintained cash'
);
select throws_ok($$ select trading.system_account('bank', 'USD') $$, '22023', null, 'unknown purposes are refused');
select throws_ok($$ select trading.system_account('fee_income', 'usd') $$, '22023', null, 'bad currencies are refused');

-- The default paper account came with the user, funded by one journal from paper_capital.
select results_eq(
    $$ select cash::numeric, initial_balance::numeric, is_default, kind::text from trading.accounts where id = (select acct from ids) $$,
    $$ values (100000::numeric, 100000::numeric, true, 'paper'::text) $$,
    'a new user has a default paper account with 100,000'
);

-- post_journal: cash moves, postings carry balance_after on user accounts only.
select ok(
    trading.post_journal('deposit', array[
        ((select ext from ids), -250.25), ((select acct from ids), 250.25)
    ]::trading.journal_line [], 'first') > 0,
    'post_journal returns the journal id'
);
select is((select cash::numeric from trading.accounts where id = (select acct from ids)), 100250.25, 'cash went up');
select results_eq(
    $$ select amount::numeric, balance_after::numeric, kind::text, memo::text, currency::text from trading.transactions
       where memo = 'first' order by id $$,
    $$ values (-250.25, null, 'deposit', 'first', 'USD'), (250.25, 100250.25, 'deposit', 'first', 'USD') $$,
    'postings keep sign, kind, memo, currency and balance_after'
);
select is((select cash from trading.accounts where id = (select ext from ids)), null, 'the system account row is not updated');

-- Several lines on one account: one cash update, balance_after runs line by line.
select lives_ok(
    $$ select trading.post_journal('trade', array[
        ((select acct from ids), -100), (trading.system_account('market_clearing', 'USD'), 100),
        ((select acct from ids), -0.25), (trading.system_account('market_clearing', 'USD'), 0.25)
    ]::trading.journal_line [], 'two lines', gen_random_uuid(), 7) $$,
    'a journal may hold several lines per account'
);
select results_eq(
    $$ select balance_after::numeric, fill_id from trading.transactions
       where memo = 'two lines' and balance_after is not null order by id $$,
    $$ values (100150.25, 7::bigint), (100150.00, 7::bigint) $$,
    'balance_after runs through the lines in order'
);

-- Errors.
select throws_ok(
    $$ select trading.post_journal('deposit', array[((select acct from ids), 1)]::trading.journal_line []) $$,
    '22023', null, 'a journal needs two lines'
);
select throws_ok($$ select trading.post_journal('deposit', null) $$, '22023', null, 'null lines are refused');
select throws_ok(
    $$ select trading.post_journal('deposit', array[(null, 1), ((select acct from ids), -1)]::trading.journal_line []) $$,
    '22023', null, 'a line without an account is refused'
);
select throws_ok(
    $$ select trading.post_journal('deposit', array[((select ext from ids), 0), ((select acct from ids), 0)]
       ::trading.journal_line []) $$,
    '22023', null, 'zero amounts are refused'
);
select throws_ok(
    $$ select trading.post_journal('deposit', array[((select ext from ids), 'NaN'), ((select acct from ids), 1)]
       ::trading.journal_line []) $$,
    '22023', null, 'NaN amounts are refused'
);
select throws_ok(
    $$ select trading.post_journal('deposit', array[((select ext from ids), -0.000000001), ((select acct from ids), 0.000000001)]
       ::trading.journal_line []) $$,
    '22023', null, 'amounts with more than 8 decimals are refused'
);
select throws_ok(
    $$ select trading.post_journal('deposit', array[(gen_random_uuid(), -1), ((select acct from ids), 1)]
       ::trading.journal_line []) $$,
    'P0002', null, 'unknown accounts are refused'
);
select throws_ok(
    $$ select trading.post_journal('withdrawal', array[((select acct from ids), -1000000), ((select ext from ids), 1000000)]
       ::trading.journal_line []) $$,
    'TB040', null, 'a user account cannot go below zero'
);
select throws_ok(
    $$ select trading.post_journal('bogus', array[((select ext from ids), -1), ((select acct from ids), 1)]
       ::trading.journal_line []) $$,
    '23514', null, 'unknown posting kinds break transactions_kind_ck'
);

-- The deferred trigger rejects an unbalanced journal (immediately once constraints are immediate).
savepoint unbalanced;
set constraints trading.journals_to_check_balanced immediate;
select throws_ok(
    $$ select trading.post_journal('deposit', array[((select ext from ids), -5), ((select acct from ids), 6)]
       ::trading.journal_line []) $$,
    'TB041', null, 'an unbalanced journal is rejected'
);
select throws_ok(
    $$ select trading.post_journal('fx_conversion', array[
        (trading.system_account('market_clearing', 'EUR'), -5), ((select acct from ids), 5)
    ]::trading.journal_line []) $$,
    'TB041', null, 'a journal must balance in each currency'
);
-- A journal found balanced is not summed again for its other postings, but one added later is.
select lives_ok(
    $$ select trading.post_journal('deposit', array[((select ext from ids), -7), ((select acct from ids), 7)]
       ::trading.journal_line []) $$,
    'a balanced journal passes its check'
);
select throws_ok(
    $$ insert into trading.transactions (journal_id, account_id, currency, amount, kind, posted_at)
       select t.journal_id, t.account_id, t.currency, 1, 'adjustment', t.posted_at from trading.transactions as t
       where t.journal_id = (select max(journal_id) from trading.transactions) limit 1 $$,
    'TB041', null, 'a posting added to a checked journal is checked again'
);
select is_empty(
    'select * from trading.journals_to_check',
    'post_journal writes a journal in one statement that balances: nothing is queued for the deferred check'
);
select throws_ok(
    $$ select set_config('trading.journal_checked', '-1', true);
       insert into trading.transactions (journal_id, account_id, currency, amount, kind)
       values (-2, (select ext from ids), 'USD', 1, 'adjustment') $$,
    'TB041', null, 'naming one journal as checked exempts no other'
);
rollback to savepoint unbalanced;

-- No session setting exempts a posting from the check: not the old marker, named for the very
-- journal written, whether the check runs at the statement's end or (deferred) at commit.
savepoint unbalanced;
set constraints all deferred;
set local trading.journal_checked = '-3';
set local trading.journal_summed = '-3:9223372036854775807';
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-3, (select ext from ids), 'USD', 1, 'adjustment');
select throws_ok(
    'set constraints all immediate',
    'TB041', null, 'a journal named as checked by hand is still checked, and rejected, at commit'
);
rollback to savepoint unbalanced;
savepoint unbalanced;
set local trading.journal_checked = '-4';
select throws_ok(
    $$ insert into trading.transactions (journal_id, account_id, currency, amount, kind)
       values (-4, (select ext from ids), 'USD', 1, 'adjustment'), (-4, (select ext from ids), 'USD', -2, 'adjustment');
       set constraints all immediate $$,
    'TB041', null, 'an unbalanced journal written in one statement is rejected, whatever the session set'
);
rollback to savepoint unbalanced;
-- A journal written over several statements is checked whole at commit: balanced, it passes.
savepoint unbalanced;
set constraints all deferred;
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-5, (select ext from ids), 'USD', 3, 'adjustment');
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-5, (select ext from ids), 'USD', -3, 'adjustment');
select results_eq(
    'select journal_id from trading.journals_to_check', array[-5::bigint],
    'a journal left unbalanced by a statement is queued once'
);
select lives_ok(
    'set constraints all immediate',
    'a journal balanced over two statements passes at commit'
);
select is_empty('select * from trading.journals_to_check', 'a checked journal leaves the queue');
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-6, (select ext from ids), 'USD', 2, 'adjustment'), (-6, (select ext from ids), 'USD', -2, 'adjustment');
select is_empty('select * from trading.journals_to_check', 'a journal balanced by its one statement is not queued');
rollback to savepoint unbalanced;

select is_empty('select * from ops.verify_invariants()', 'the ledger invariants hold');

-- Each invariant catches the break it guards (as the owner, outside post_journal).
savepoint broken;
update trading.accounts set cash = cash + 1 where id = (select acct from ids);
select ok(
    exists (select from ops.verify_invariants() where invariant = 'account_cash_matches_postings'),
    'cash that disagrees with the postings is reported'
);
rollback to savepoint broken;
savepoint broken;
set constraints trading.journals_to_check_balanced deferred;
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-1, (select ext from ids), 'USD', 1, 'adjustment');
select ok(
    exists (select from ops.verify_invariants() where invariant = 'journals_balance'),
    'an unbalanced journal is reported'
);
insert into trading.transactions (journal_id, account_id, currency, amount, kind)
values (-2, gen_random_uuid(), 'EUR', 1, 'adjustment');
select ok(
    exists (select from ops.verify_invariants() where invariant = 'postings_match_accounts'),
    'a posting on an unknown account is reported'
);
rollback to savepoint broken;
savepoint broken;
alter domain app.nonnegative_money drop constraint nonnegative_money_not_below_zero_ck;
update trading.accounts set cash = -1 where id = (select acct from ids);
select ok(
    exists (select from ops.verify_invariants() where invariant = 'no_negative_cash'),
    'negative cash is reported'
);
rollback to savepoint broken;

select is_empty('select * from ops.verify_invariants()', 'invariants hold again after the rollbacks');

select * from finish();
rollback;
