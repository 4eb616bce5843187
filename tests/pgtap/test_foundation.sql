-- Foundation: money domains, the error helper, invariants runner, object fingerprints, context skeleton.
begin;
select plan(23);

-- Domains reject what is not a finite number.
select lives_ok($$ select 12.34::app.money, 0.5::app.rate, 1.0000000001::app.quantity, 99.5::app.price $$,
    'finite values fit the money domains');
select throws_ok($$ select 'NaN'::numeric::app.money $$, '23514', null, 'money rejects NaN');
select throws_ok($$ select 'NaN'::numeric::app.price $$, '23514', null, 'price rejects NaN');
select throws_ok($$ select 'NaN'::numeric::app.quantity $$, '23514', null, 'quantity rejects NaN');
select throws_ok($$ select 'NaN'::numeric::app.rate $$, '23514', null, 'rate rejects NaN');
select throws_ok($$ select 'Infinity'::numeric::app.money $$, '22003', null, 'money rejects Infinity');
select throws_ok($$ select '-Infinity'::numeric::app.quantity $$, '22003', null, 'quantity rejects -Infinity');
select is(1.123456789::app.money::numeric, 1.12345679::numeric, 'money keeps 8 decimals');
select is(pg_typeof(1::app.money)::text, 'app.money', 'app.money is a domain');

-- app.raise_error: registered codes with a hint; unregistered codes refused.
select throws_ok($$ select app.raise_error('22023', 'bad thing 42') $$, '22023', 'bad thing 42',
    'raise_error raises the given SQLSTATE and message');
create function pg_temp.hint_of(p_sql text) returns text language plpgsql as $f$
begin
    execute p_sql;
    return null;
exception when others then
    declare v_hint text;
    begin
        get stacked diagnostics v_hint = pg_exception_hint;
        return v_hint;
    end;
end $f$;
select is(pg_temp.hint_of($$ select app.raise_error('22023', 'x') $$), 'Check the argument named in the message.',
    'the code''s default hint fills in');
select is(pg_temp.hint_of($$ select app.raise_error('22023', 'x', 'Use a positive amount.') $$), 'Use a positive amount.',
    'an explicit hint wins');
select throws_ok($$ select app.raise_error('ZZ999', 'nope') $$, 'P0004', null, 'unregistered codes are refused');

-- Invariants: none violated in an empty database; a violated check shows up with its name.
select is_empty('select * from ops.verify_invariants()', 'no invariant is violated');
create function ops.invariant_test_always_broken() returns setof text language sql as $f$ select 'broken on purpose' $f$;
select results_eq('select invariant, detail from ops.verify_invariants()',
    $$ values ('test_always_broken'::text, 'broken on purpose'::text) $$, 'a failing invariant is reported by name');
drop function ops.invariant_test_always_broken();

-- Fingerprints of deployed objects, and the error for an unknown kind.
select isnt(ops.deployed_definition('function', 'app.raise_error'), null, 'a deployed function has a fingerprint');
select is(ops.deployed_definition('function', 'app.no_such_function'), null, 'a missing function has none');
create view ops.tmp_v as select 1 as x;
select isnt(ops.deployed_definition('view', 'ops.tmp_v'), null, 'a view has a fingerprint');
create table ops.tmp_t (x int);
create policy tmp_p on ops.tmp_t using (true);
create function ops.tmp_trg() returns trigger language plpgsql as $f$ begin return new; end $f$;
create trigger tmp_tr before insert on ops.tmp_t for each row execute function ops.tmp_trg();
select isnt(ops.deployed_definition('policy', 'tmp_p', 'ops.tmp_t'), null, 'a policy has a fingerprint');
select isnt(ops.deployed_definition('trigger', 'tmp_tr', 'ops.tmp_t'), null, 'a trigger has a fingerprint');
select throws_ok($$ select ops.deployed_definition('sequence', 'x') $$, '22023', null, 'unknown kinds are refused');

-- Context skeleton: nobody is authenticated; the superuser counts as admin, the app role does not.
select is(app.current_user_id(), null, 'no acting user without authentication');
select ok(app.is_admin(), 'a superuser session is admin');

select * from finish();
rollback;
