-- Statement-level TRUNCATE guards reach partitions the manager creates (Postgres clones only row triggers).
begin;
select plan(7);

select ok(
    (select count(*) from ops.partition_children('audit.log'::regclass)) > 1,
    'audit.log is managed: migrate created its children'
);
select is_empty('select * from ops.verify_invariants()', 'every audit.log partition refuses TRUNCATE');
select throws_ok(
    format('truncate %s', (select max(c.oid::regclass::text) from pg_class as c
        join pg_inherits as i on i.inhrelid = c.oid where i.inhparent = 'audit.log'::regclass)),
    '42501', null, 'truncating a managed audit child is refused'
);

create table ops.guard_parent (id int, at timestamptz) partition by range (at);
create function ops.guard_refuse() returns trigger language plpgsql as $f$
begin
    raise exception 'no truncate' using errcode = '42501';
end $f$;
create trigger guard_parent_no_truncate before truncate on ops.guard_parent
for each statement execute function ops.guard_refuse();
create table ops.guard_child partition of ops.guard_parent for values from ('2020-01-01') to ('2021-01-01');

select is(ops.inherit_truncate_guards('ops.guard_parent', 'ops.guard_child'), 1, 'the guard is copied to the child');
select is(ops.inherit_truncate_guards('ops.guard_parent', 'ops.guard_child'), 0, 'calling it twice copies nothing more');
select throws_ok('truncate ops.guard_child', '42501', 'no truncate', 'the child now refuses TRUNCATE');
select is(ops.inherit_truncate_guards('ops.guard_child', 'ops.guard_child'), 0, 'a table without guards has none to copy');

select * from finish();
rollback;
