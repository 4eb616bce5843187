-- Accounts: api.create_account with templates and validated settings, the default paper account,
-- trading.create_account for other kinds, and the api views over accounts and templates.
begin;
select plan(41);

insert into auth.users (email, username) values ('acc-a@example.com', 'acc_a'), ('acc-b@example.com', 'acc_b');
create temporary table u as
select
    (select id from auth.users where username = 'acc_a') as a,
    (select id from auth.users where username = 'acc_b') as b;

-- Anonymous callers cannot open accounts.
select throws_ok($$ select api.create_account('Nope') $$, 'TB008', null, 'anonymous callers are refused');

select lives_ok($$ select api.act_as((select a from u)) $$, 'support staff act as user A');

-- The default paper account from the users trigger.
select results_eq(
    $$ select name::text, kind::text, account_type::text, risk_level::text, base_currency::text, cash::numeric, is_default,
              template, status::text from api.accounts where user_id = (select a from u) $$,
    $$ values ('Paper Trading', 'paper', 'balanced', 'medium', 'USD', 100000.0, true, 'balanced', 'active') $$,
    'every user starts with a default paper account of 100,000 USD'
);

-- Templates supply defaults.
create temporary table made (label text primary key, id uuid);
insert into made values ('swing', api.create_account('Swing', 'paper', 'swing_trading'));
select results_eq(
    $$ select account_type::text, risk_level::text, initial_balance::numeric, cash::numeric, cost_basis_method::text,
              commission_rate::numeric, slippage_bps::numeric, allow_short, is_default
       from trading.accounts where id = (select id from made where label = 'swing') $$,
    $$ values ('swing_trading', 'medium', 25000.0, 25000.0, 'average', 0.001, 5.00, false, false) $$,
    'a template sets style, risk, starting cash and settings; the second account is not the default'
);
select is(
    (select sum(amount)::numeric from trading.transactions where account_id = (select id from made where label = 'swing')),
    25000.0, 'the initial balance is posted as a journal'
);

-- Settings override the template.
insert into made values ('tuned', api.create_account('Tuned', 'paper', 'conservative', 5000, 'USD',
    '{"commission_per_order": 1.5, "commission_rate": 0.002, "slippage_bps": 7.25, "allow_short": true,
      "max_volume_participation": null, "cost_basis_method": "average"}'));
select results_eq(
    $$ select initial_balance::numeric, commission_per_order::numeric, commission_rate::numeric, slippage_bps::numeric,
              allow_short, max_volume_participation::numeric, cost_basis_method::text, account_type::text
       from trading.accounts where id = (select id from made where label = 'tuned') $$,
    $$ values (5000.0, 1.5, 0.002, 7.25, true, null::numeric, 'average', 'conservative') $$,
    'settings and p_initial_balance override the template; null participation means unlimited'
);

-- Without a template: column defaults; live accounts start empty; other currencies get their own capital account.
insert into made values ('live', api.create_account('Live', 'live'));
select results_eq(
    $$ select kind::text, cash::numeric, initial_balance::numeric, template_id from trading.accounts
       where id = (select id from made where label = 'live') $$,
    $$ values ('live', 0.0, 0.0, null::uuid) $$,
    'a live account starts with no cash'
);
insert into made values ('eur', api.create_account('Euro', 'paper', null, 2000, 'EUR', '{"max_volume_participation": 0.5}'));
select results_eq(
    $$ select base_currency::text, cash::numeric, max_volume_participation::numeric from trading.accounts
       where id = (select id from made where label = 'eur') $$,
    $$ values ('EUR', 2000.0, 0.5) $$,
    'a paper account in another currency'
);
select is(
    (select currency::text from trading.transactions
     where account_id = trading.system_account('paper_capital', 'EUR')),
    'EUR', 'its capital came from the EUR paper_capital account'
);
insert into made values ('empty', api.create_account('Empty paper', 'paper', null, 0));
select is((select cash::numeric from trading.accounts where id = (select id from made where label = 'empty')), 0.0,
    'a paper account may start empty');

-- Views: usage counts are derived; available cash is cash less reserved.
select is((select usage_count from api.account_templates where name = 'swing_trading'), 1::bigint,
    'usage_count counts accounts made from the template');
select is((select usage_count from api.account_templates where name = 'balanced'), 2::bigint,
    'default accounts count for the balanced template');
update trading.accounts set reserved_cash = 100 where id = (select id from made where label = 'swing');
select is((select available_cash::numeric from api.accounts where id = (select id from made where label = 'swing')),
    24900.0, 'available_cash is cash less reserved cash');
-- Only open orders may hold reservations (ops.invariant_reservations_match_open_orders): undo the fake one.
update trading.accounts set reserved_cash = 0 where id = (select id from made where label = 'swing');
select is((select count(*) from api.accounts where kind = 'system'), 0::bigint, 'api.accounts lists no system accounts');

-- Validation errors.
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"colour": "red", "foo": 1}') $$,
    '22023', 'unknown account settings: colour, foo', 'unknown settings keys are rejected by name');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '[1]') $$, '22023', null,
    'settings must be an object');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"cost_basis_method": "lifo"}') $$,
    '22023', null, 'cost_basis_method must be fifo or average');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"cost_basis_method": 1}') $$,
    '22023', null, 'cost_basis_method must be a string');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"allow_short": "yes"}') $$,
    '22023', null, 'allow_short must be a boolean');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"commission_rate": 2}') $$,
    '22023', null, 'commission_rate must lie in [0, 1]');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"commission_per_order": -1}') $$,
    '22023', null, 'commission_per_order must not be negative');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"commission_per_order": 1e30}') $$,
    '22023', null, 'a huge commission is a 22023, not an overflow');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"slippage_bps": "5"}') $$,
    '22023', null, 'slippage_bps must be a number');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"slippage_bps": 1.125}') $$,
    '22023', null, 'slippage_bps has at most 2 decimals');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'USD', '{"max_volume_participation": 0}') $$,
    '22023', null, 'max_volume_participation must be positive');
select throws_ok($$ select api.create_account('X', 'system') $$, '22023', null, 'system accounts cannot be created');
select throws_ok($$ select api.create_account('X', 'fund') $$, '22023', null, 'fund accounts come with funds');
select throws_ok($$ select api.create_account('X', null) $$, '22023', null, 'the kind is required');
select throws_ok($$ select api.create_account('  ') $$, '22023', null, 'blank names are refused');
select throws_ok($$ select api.create_account(repeat('n', 101)) $$, '22023', null, 'names are at most 100 characters');
select throws_ok($$ select api.create_account('X', 'paper', null, null, 'usd') $$, '22023', null,
    'the currency must be an ISO code');
select throws_ok($$ select api.create_account('X', 'paper', 'moonshot') $$, 'P0002', null, 'unknown templates');
select throws_ok($$ select api.create_account('paper trading') $$, 'TB045', null,
    'account names are unique per user, case-insensitively');
select throws_ok($$ select api.create_account('X', 'live', null, 100) $$, '22023', null,
    'a live account cannot start with cash');
select throws_ok($$ select api.create_account('X', 'paper', null, 'NaN') $$, '22023', null,
    'a NaN initial balance is refused');
select throws_ok($$ select api.create_account('X', 'paper', null, -1) $$, '22023', null,
    'a negative initial balance is refused');

-- trading.create_account: fund accounts for the funds domain; unknown users.
insert into made values ('fund', trading.create_account((select b from u), 'Fund A', 'fund', null, null, 'USD', '{}'));
select ok(
    (select kind = 'fund' and cash = 0 from trading.accounts where id = (select id from made where label = 'fund')),
    'trading.create_account opens fund accounts empty'
);
select throws_ok($$ select trading.create_account(gen_random_uuid(), 'X', 'paper', null, null, 'USD', '{}') $$,
    'P0002', null, 'trading.create_account refuses unknown users');
select throws_ok($$ select trading.create_account((select b from u), 'X', 'system', null, null, 'USD', '{}') $$,
    '22023', null, 'trading.create_account refuses the system kind');

-- One default per user, guarded by the index as well.
select throws_ok(
    $$ update trading.accounts set is_default = true where id = (select id from made where label = 'swing') $$,
    '23505', null, 'a user has at most one default account'
);

select is_empty('select * from ops.verify_invariants()', 'the ledger invariants hold');

select * from finish();
rollback;
