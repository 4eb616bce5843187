create or replace function audit.record_key(p_row jsonb, p_key_columns text[])
returns jsonb
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select pg_catalog.jsonb_object_agg(k.col, p_row -> k.col) from pg_catalog.unnest(p_key_columns) as k (col)
$$;

comment on function audit.record_key(jsonb, text[]) is 'The primary-key columns of a row as a jsonb object (audit.log.record_id).';
