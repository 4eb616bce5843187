-- depends: audit/refuse_change.sql
-- A row trigger on the parent is cloned to every partition, present and future.
create or replace trigger log_refuse_update_delete
before update or delete on audit.log
for each row execute function audit.refuse_change();

comment on trigger log_refuse_update_delete on audit.log is 'Append-only: refuses UPDATE and DELETE of audit rows.';
