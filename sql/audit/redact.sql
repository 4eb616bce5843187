create or replace function audit.redact(p_row jsonb, p_secret_columns text[])
returns jsonb
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select p_row || coalesce(
        pg_catalog.jsonb_object_agg(s.col, '"[redacted]"'::jsonb) filter (where pg_catalog.jsonb_typeof(p_row -> s.col) <> 'null'),
        '{}'::jsonb
    )
    from pg_catalog.unnest(p_secret_columns) as s (col)
$$;

comment on function audit.redact(jsonb, text[]) is 'The row with each non-null secret column''s value replaced by "[redacted]".';
