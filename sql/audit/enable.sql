-- Attaches audit.log_change to a table (idempotent: re-run after adding columns or secret tags so
-- the redaction list follows the 'Secret:' column comments).
create or replace function audit.enable(p_table regclass)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_key text [];
    v_secret text [];
    v_op text;
begin
    if p_table = 'audit.log'::pg_catalog.regclass
        or exists (select from pg_catalog.pg_inherits as i where i.inhrelid = p_table) then
        perform app.raise_error('22023', pg_catalog.format('cannot audit %s', p_table),
            'Audit ordinary tables or partitioned parents, never the audit log or a partition.');
    end if;
    select pg_catalog.array_agg(a.attname::text order by pg_catalog.array_position(i.indkey::int2 [], a.attnum))
    into v_key
    from pg_catalog.pg_index as i
    inner join pg_catalog.pg_attribute as a on i.indrelid = a.attrelid and a.attnum = any(i.indkey::int2 [])
    where i.indrelid = p_table and i.indisprimary;
    if v_key is null then
        perform app.raise_error('22023', pg_catalog.format('table %s has no primary key', p_table),
            'Audited tables need a primary key: it is the stable record id.');
    end if;
    select coalesce(pg_catalog.array_agg(a.attname::text order by a.attnum), '{}')
    into v_secret
    from pg_catalog.pg_attribute as a
    where a.attrelid = p_table and a.attnum > 0 and not a.attisdropped
        and pg_catalog.col_description(p_table, a.attnum) like 'Secret:%';
    foreach v_op in array array['insert', 'update', 'delete'] loop
        execute pg_catalog.format(
            'create or replace trigger %I after %s on %s referencing %s for each statement '
            'execute function audit.log_change(%L, %L)',
            'audit_' || v_op, v_op, p_table,
            case v_op
                when 'insert' then 'new table as new_rows'
                when 'delete' then 'old table as old_rows'
                else 'old table as old_rows new table as new_rows'
            end,
            v_key, v_secret
        );
    end loop;
end
$$;

comment on function audit.enable(regclass) is
'Idempotently attaches the audit triggers (insert, update, delete) to a table with a primary key; secrets redacted.';
