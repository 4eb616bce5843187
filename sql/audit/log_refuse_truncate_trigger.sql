-- depends: audit/refuse_change.sql
create or replace trigger log_refuse_truncate
before truncate on audit.log
for each statement execute function audit.refuse_change();

comment on trigger log_refuse_truncate on audit.log is 'Append-only: refuses TRUNCATE of the audit log.';
