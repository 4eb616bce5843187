-- Shared checks of the api: administrator-only actions, securities by ticker, corporate actions once.
begin;
select plan(8);

select lives_ok($$ select app.require_admin('test things') $$, 'a superuser session is an administrator');
set local session authorization tb_test_app;
select throws_ok($$ select api.match_resting_orders() $$, '42501', 'only an administrator may match resting orders',
    'an app login is not (through an api function that requires an administrator)');
reset session authorization;

select isnt(api.upsert_security('SHCK', 'Shared Check Inc', 'stock'), null, 'a security to look up');
select is((market.security(' shck ')).name, 'Shared Check Inc', 'lookup ignores case and blanks');
select throws_ok($$ select market.security('NOPE') $$, 'P0002', 'security ''NOPE'' does not exist',
    'an unknown ticker is not found');
select throws_ok($$ select market.security(null) $$, 'P0002', null, 'a null ticker is not found');

-- A corporate action is recorded once per (security, kind, date).
select isnt(trading.record_corporate_action(market.security('SHCK'), 'split', date '2026-01-05', 2, 1), null,
    'a split is recorded');
select throws_ok($$ select trading.record_corporate_action(market.security('SHCK'), 'split', date '2026-01-05', 3, 1) $$,
    'TB064', 'a split of SHCK on 2026-01-05 was already applied', 'the same split date again is refused');

select * from finish();
rollback;
