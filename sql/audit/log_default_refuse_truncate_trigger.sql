-- depends: audit/refuse_change.sql
-- Statement triggers are not cloned to partitions: each child needs its own (see ops.invariant_audit_log_append_only).
create or replace trigger log_default_refuse_truncate
before truncate on audit.log_default
for each statement execute function audit.refuse_change();

comment on trigger log_default_refuse_truncate on audit.log_default is 'Append-only: refuses TRUNCATE of the default partition.';
