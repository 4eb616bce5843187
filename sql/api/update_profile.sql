-- NULL arguments leave a field unchanged.
create or replace function api.update_profile(
    p_first_name text default null,
    p_last_name text default null,
    p_phone text default null,
    p_date_of_birth date default null,
    p_country text default null
)
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
    if pg_catalog.length(p_first_name) > 100 or pg_catalog.length(p_last_name) > 100 then
        perform app.raise_error('22023', 'first and last names have at most 100 characters');
    end if;
    if p_phone !~ '^\+?[0-9 ()-]{5,20}$' then
        perform app.raise_error('22023', pg_catalog.format('phone %s is not a phone number', app.quote_input(p_phone)),
            'Use digits, spaces, dashes, parentheses and an optional leading +.');
    end if;
    if p_date_of_birth not between date '1900-01-01' and current_date then
        perform app.raise_error('22023', pg_catalog.format('date of birth %s is out of range', p_date_of_birth));
    end if;
    if pg_catalog.upper(p_country) !~ '^[A-Z]{2}$' then
        perform app.raise_error('22023', pg_catalog.format('country %s is not an ISO 3166 alpha-2 code', app.quote_input(p_country)),
            'Use two letters, e.g. US, IN, DE.');
    end if;
    update auth.users as u
    set
        first_name = coalesce(p_first_name, u.first_name),
        last_name = coalesce(p_last_name, u.last_name),
        phone = coalesce(p_phone, u.phone),
        date_of_birth = coalesce(p_date_of_birth, u.date_of_birth),
        country = coalesce(pg_catalog.upper(p_country), u.country)
    where u.id = v_user_id;
end
$$;

comment on function api.update_profile(text, text, text, date, text) is
'Updates the acting user''s profile fields that are not NULL; 22023 for a malformed value.';
