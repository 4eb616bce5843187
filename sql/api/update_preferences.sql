-- Partial update from a jsonb object of column -> value. Keys and value types are checked against
-- the columns of auth.user_preferences first, so bad input is a 22023, never a cast error.
create or replace function api.update_preferences(p_changes jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_change record;
    v_columns text;
begin
    perform auth.require_scope('manage');
    if p_changes is null or pg_catalog.jsonb_typeof(p_changes) <> 'object' then
        perform app.raise_error('22023', 'preferences must be a jsonb object of name -> value');
    end if;
    for v_change in
        select e.key, e.value, pg_catalog.format_type(a.atttypid, null) as type_name
        from pg_catalog.jsonb_each(p_changes) as e
        left join pg_catalog.pg_attribute as a
            on a.attrelid = 'auth.user_preferences'::pg_catalog.regclass and a.attname = e.key
            and a.attnum > 0 and not a.attisdropped and e.key not in ('user_id', 'created_at', 'updated_at')
    loop
        if v_change.type_name is null then
            perform app.raise_error('22023', pg_catalog.format('unknown preference %s', app.quote_input(v_change.key)));
        end if;
        if not (case v_change.type_name
            when 'boolean' then pg_catalog.jsonb_typeof(v_change.value) = 'boolean'
            when 'integer' then pg_catalog.jsonb_typeof(v_change.value) = 'number'
                and v_change.value::text ~ '^-?[0-9]{1,9}$'
            else pg_catalog.jsonb_typeof(v_change.value) = 'string'
        end) then
            perform app.raise_error('22023', pg_catalog.format('preference %s needs a %s value, got %s',
                app.quote_input(v_change.key), v_change.type_name, app.quote_input(v_change.value::text)));
        end if;
        if v_change.key = 'timezone'
            and not exists (select from pg_catalog.pg_timezone_names as z where z.name = v_change.value ->> 0) then
            perform app.raise_error('22023',
                pg_catalog.format('unknown time zone %s', app.quote_input(v_change.value ->> 0)));
        end if;
    end loop;
    select pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ') into v_columns from pg_catalog.jsonb_object_keys(p_changes) as k;
    if v_columns is null then
        return;
    end if;
    execute pg_catalog.format(
        'update auth.user_preferences set (%1$s) = (select %1$s from pg_catalog.jsonb_populate_record(null::auth.user_preferences, $1)) '
        'where user_id = $2',
        v_columns
    ) using p_changes, v_user_id;
end
$$;

comment on function api.update_preferences(jsonb) is
'Sets the acting user''s preferences named in a jsonb object; 22023 for an unknown name or a wrongly typed value, '
'23514 for a value outside its allowed set.';
