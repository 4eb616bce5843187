create or replace function audit.changed_columns(p_old jsonb, p_new jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
    select pg_catalog.array_agg(n.key order by n.key)
    from pg_catalog.jsonb_each(p_new) as n
    where p_old is not null and n.value is distinct from p_old -> n.key
$$;

comment on function audit.changed_columns(jsonb, jsonb) is 'Columns whose value differs between the old and the new row (null for inserts).';
