create or replace function api.set_user_setting(p_name text, p_value jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
begin
    perform auth.require_scope('manage');
    if p_name is null or p_name !~ '^[a-z][a-z0-9_.]{0,63}$' then
        perform app.raise_error('22023', pg_catalog.format('setting name %s is not valid', app.quote_input(p_name)),
            'Use lower-case letters, digits, dots and underscores (at most 64).');
    end if;
    if p_value is null then
        delete from auth.user_settings as s where s.user_id = v_user_id and s.name = p_name;
        return;
    end if;
    insert into auth.user_settings as s (user_id, name, value)
    values (v_user_id, p_name, p_value)
    on conflict on constraint user_settings_user_name_uk do update set value = excluded.value;
end
$$;

comment on function api.set_user_setting(text, jsonb) is
'Stores a free-form setting of the acting user (NULL value deletes it); 22023 for a malformed name.';
