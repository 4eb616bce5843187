-- The audit log is append-only for every role, the owner included: UPDATE, DELETE and TRUNCATE
-- fail. Retention removes whole partitions (detach/drop), which no trigger sees.
create or replace function audit.refuse_change()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform app.raise_error('42501', pg_catalog.format('%s on %s.%s is not allowed', tg_op, tg_table_schema, tg_table_name),
        'The audit log is append-only; old partitions are removed by retention.');
    return null;
end
$$;

comment on function audit.refuse_change() is 'Trigger on audit.log and its partitions: refuses UPDATE, DELETE and TRUNCATE.';
