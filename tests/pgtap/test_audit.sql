-- The audit trail: audit.enable (idempotent), row changes with redaction, events, append-only.
begin;
select plan(32);

create function pg_temp.run(p_sql text) returns setof int language plpgsql as $f$
begin
    execute p_sql;
end $f$;

-- helpers ----------------------------------------------------------------------------------------
select is(audit.record_key('{"id": 7, "a": 1}', '{id}'), '{"id": 7}'::jsonb, 'record_key keeps the key columns');
select is(audit.redact('{"a": 1, "s": "x", "n": null}', '{s,n}'), '{"a": 1, "s": "[redacted]", "n": null}'::jsonb,
    'redact hides non-null secrets and keeps nulls visible');
select is(audit.changed_columns('{"a": 1, "b": 2}', '{"a": 1, "b": 3}'), '{b}'::text [], 'changed_columns lists changes');
select is(audit.changed_columns(null, '{"a": 1}'), null, 'an insert has no changed columns');

-- audit.enable on a scratch table ----------------------------------------------------------------
set local role tradebase_owner;
create table trading.audit_probe (id int primary key, note text, token_hash text);
comment on column trading.audit_probe.token_hash is 'Secret: test secret.';
reset role;
select lives_ok($$ select audit.enable('trading.audit_probe') $$, 'audit.enable attaches the triggers');
select lives_ok($$ select audit.enable('trading.audit_probe') $$, 'and is idempotent');
select is((select count(*)::int from pg_trigger where tgrelid = 'trading.audit_probe'::regclass and not tgisinternal), 3,
    'one insert, one update and one delete trigger, even after two calls');
select throws_ok($$ select audit.enable('audit.log') $$, '22023', null, 'the audit log itself cannot be audited');
select throws_ok($$ select audit.enable('audit.log_default') $$, '22023', null, 'nor one of its partitions');
create temp table no_pk (a int);
select throws_ok($$ select audit.enable('no_pk') $$, '22023', null, 'a table without a primary key cannot be audited');

insert into trading.audit_probe values (1, 'one', 'h1'), (2, 'two', null);
update trading.audit_probe set note = 'uno', token_hash = 'h2' where id = 1;
delete from trading.audit_probe where id = 2;
select is((select count(*)::int from audit.log where table_name = 'audit_probe' and operation = 'INSERT'), 2,
    'a two-row insert writes two audit rows');
select is((select record_id from audit.log where table_name = 'audit_probe' and operation = 'UPDATE'), '{"id": 1}'::jsonb,
    'an update names the record by its primary key');
select is((select changed_columns from audit.log where table_name = 'audit_probe' and operation = 'UPDATE'),
    '{note,token_hash}'::text [], 'and lists the changed columns');
select is((select old_row ->> 'note' || '>' || (new_row ->> 'note') from audit.log
    where table_name = 'audit_probe' and operation = 'UPDATE'), 'one>uno', 'old and new rows are kept');
select is((select old_row ->> 'token_hash' || '|' || (new_row ->> 'token_hash') from audit.log
    where table_name = 'audit_probe' and operation = 'UPDATE'), '[redacted]|[redacted]', 'secret columns are redacted');
select ok(not exists (select from audit.log where (old_row::text || new_row::text) like '%h1%' or (new_row::text) like '%h2%'),
    'no secret value reaches the log');
select is((select old_row ->> 'note' from audit.log where table_name = 'audit_probe' and operation = 'DELETE'), 'two',
    'a delete keeps the old row');
select is((select schema_name || '.' || table_name || ' ' || session_user_name || ' ' || (transaction_id = txid_current())::text
    from audit.log where table_name = 'audit_probe' and operation = 'DELETE'),
    'trading.audit_probe ' || session_user || ' true', 'rows carry the table, the login role and the transaction');

-- identity tables are audited with their secrets redacted ----------------------------------------
select lives_ok($$ select api.register_user('eve@example.com', 'eve', 'long enough pw') $$, 'a user registers');
select ok(exists (select from audit.log where table_name = 'users' and operation = 'INSERT' and new_row ->> 'username' = 'eve'),
    'the new user is audited');
select is((select new_row ->> 'password_hash' from audit.log where table_name = 'user_security' and operation = 'UPDATE'
    and 'password_hash' = any(changed_columns)), '[redacted]', 'the password hash is redacted');

-- events ------------------------------------------------------------------------------------------
select pg_temp.run($$ select audit.log_event('export', null, '{"rows": 3}') $$);
select is((select operation || ' ' || (detail ->> 'rows') from audit.log where event = 'export'), 'EVENT 3',
    'log_event writes an EVENT row with its detail');

-- append-only for everyone, the owner included -----------------------------------------------------
select throws_ok($$ update audit.log set event = 'x' $$, '42501', null, 'UPDATE is refused');
select throws_ok($$ delete from audit.log $$, '42501', null, 'DELETE is refused');
select throws_ok($$ truncate audit.log $$, '42501', null, 'TRUNCATE is refused');
select throws_ok($$ truncate audit.log_default $$, '42501', null, 'TRUNCATE of a partition is refused');
select throws_ok($$ delete from audit.log_default $$, '42501', null, 'DELETE through a partition is refused');
set local role tradebase_owner;
select throws_ok($$ delete from audit.log $$, '42501', null, 'the owner cannot delete either');
reset role;
select ok(not has_table_privilege('tradebase_app', 'audit.log', 'select')
    and not has_table_privilege('tradebase_analyst', 'audit.log', 'select'), 'apps and analysts cannot read the log');

-- a partition without its TRUNCATE guard is reported ----------------------------------------------
select is_empty('select * from ops.invariant_audit_log_append_only()', 'every audit partition refuses TRUNCATE');
set local role tradebase_owner;
create table audit.log_2000_01 partition of audit.log for values from ('2000-01-01') to ('2000-02-01');
insert into audit.log (logged_at, operation, event) values ('2000-01-15', 'EVENT', 'old_event');
reset role;
select is((select * from ops.invariant_audit_log_append_only()),
    'audit.log_2000_01 has no TRUNCATE guard (audit.refuse_change)', 'an unguarded partition is reported');
select throws_ok($$ update audit.log_2000_01 set event = 'x' $$, '42501', null,
    'the row guard is inherited by new partitions');

select * from finish();
rollback;
