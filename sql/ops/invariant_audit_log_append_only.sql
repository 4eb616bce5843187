-- Every partition of audit.log must refuse TRUNCATE; statement triggers are not inherited, so a
-- partition created without one shows up here.
create or replace function ops.invariant_audit_log_append_only()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format('%s has no TRUNCATE guard (audit.refuse_change)', i.inhrelid::pg_catalog.regclass)
    from pg_catalog.pg_inherits as i
    where i.inhparent = 'audit.log'::pg_catalog.regclass
        and not exists (
            select from pg_catalog.pg_trigger as t
            where t.tgrelid = i.inhrelid and t.tgfoid = pg_catalog.to_regprocedure('audit.refuse_change()')
                and (t.tgtype & 32) <> 0
        )
$$;

comment on function ops.invariant_audit_log_append_only() is
'One row per audit.log partition without a BEFORE TRUNCATE audit.refuse_change trigger.';
