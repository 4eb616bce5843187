-- The one audit trigger: statement-level with transition tables, so a bulk statement costs one
-- INSERT ... SELECT instead of a trigger call per row. audit.enable passes the primary-key columns
-- (TG_ARGV[0]) and the secret columns to redact (TG_ARGV[1]). The transition tables are only
-- reachable through dynamic SQL in a generic function.
create or replace function audit.log_change()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_key text [] := tg_argv[0]::text [];
    v_secret text [] := tg_argv[1]::text [];
    v_rows text;
    v_context record;
begin
    select c.user_id, c.actor into v_context from app.current_context() as c;
    v_rows := case tg_op
        when 'INSERT' then
            'select audit.record_key(to_jsonb(n), $4) as rid, null::jsonb as old_doc, to_jsonb(n) as new_doc from new_rows as n'
        when 'DELETE' then
            'select audit.record_key(to_jsonb(o), $4) as rid, to_jsonb(o) as old_doc, null::jsonb as new_doc from old_rows as o'
        else
            'select coalesce(n.rid, o.rid) as rid, o.doc as old_doc, n.doc as new_doc
               from (select audit.record_key(to_jsonb(t), $4) as rid, to_jsonb(t) as doc from old_rows as t) as o
               full join (select audit.record_key(to_jsonb(t), $4) as rid, to_jsonb(t) as doc from new_rows as t) as n
                 on n.rid = o.rid'
    end;
    execute
        'insert into audit.log (
             acting_user_id, actor, schema_name, table_name, operation, record_id, old_row, new_row, changed_columns
         )
         select $1, $7, $2, $3, $6, r.rid, audit.redact(r.old_doc, $5), audit.redact(r.new_doc, $5),
                audit.changed_columns(r.old_doc, r.new_doc)
         from (' || v_rows || ') as r'
        using v_context.user_id, tg_table_schema, tg_table_name, v_key, v_secret, tg_op, v_context.actor;
    return null;
end
$$;

comment on function audit.log_change() is
'Statement-level audit trigger (attach with audit.enable): one audit.log row per changed row, with the acting user '
'and system actor, secrets redacted.';
