-- One numeric account setting from a settings object: absent means p_default, anything but a JSON
-- number in [p_min, p_max] with at most p_scale decimals is a 22023 naming the key (never a cast error).
create or replace function trading.setting_number(
    p_settings jsonb,
    p_key text,
    p_min numeric,
    p_max numeric,
    p_scale integer,
    p_default numeric
)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_value jsonb := p_settings -> p_key;
    v_number numeric;
begin
    if v_value is null then
        return p_default;
    elsif pg_catalog.jsonb_typeof(v_value) <> 'number' then
        perform app.raise_error('22023', pg_catalog.format('setting %s must be a number, got %s', p_key, v_value),
            null);
    end if;
    v_number := v_value::numeric;
    if v_number < p_min or v_number > p_max or v_number <> pg_catalog.round(v_number, p_scale) then
        perform app.raise_error('22023', pg_catalog.format(
            'setting %s must lie in [%s, %s] with at most %s decimals, got %s', p_key, p_min, p_max, p_scale, v_number
        ), null);
    end if;
    return v_number;
end
$$;

comment on function trading.setting_number(jsonb, text, numeric, numeric, integer, numeric) is
'A numeric setting of p_settings checked against [p_min, p_max] and p_scale decimals (22023 otherwise); '
'p_default when the key is absent.';
