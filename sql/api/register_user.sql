-- Anyone (anonymous included) may register. The insert fires auth.users triggers: handle_new_user
-- (security + preferences) and those other domains attach (default paper account).
create or replace function api.register_user(
    p_email text,
    p_username text,
    p_password text,
    p_first_name text default null,
    p_last_name text default null
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_id uuid;
    v_constraint text;
begin
    if p_email is null or pg_catalog.length(p_email) > 254
        or p_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
        perform app.raise_error('22023', pg_catalog.format('email %s is not a valid address', app.quote_input(p_email)),
            'Give an address like name@example.com.');
    end if;
    if p_username is null or p_username !~ '^[A-Za-z0-9_.-]{3,50}$' then
        perform app.raise_error('22023', pg_catalog.format('username %s is not valid', app.quote_input(p_username)),
            'Use 3 to 50 letters, digits, dots, dashes or underscores.');
    end if;
    if pg_catalog.length(p_first_name) > 100 or pg_catalog.length(p_last_name) > 100 then
        perform app.raise_error('22023', 'first and last names have at most 100 characters');
    end if;
    perform auth.check_password(p_password, p_username);
    if exists (select from auth.users as u where pg_catalog.lower(u.email) = pg_catalog.lower(p_email)) then
        perform app.raise_error('TB006', pg_catalog.format('email %s is already registered', app.quote_input(p_email)));
    end if;
    if exists (select from auth.users as u where pg_catalog.lower(u.username) = pg_catalog.lower(p_username)) then
        perform app.raise_error('TB007', pg_catalog.format('username %s is taken', app.quote_input(p_username)));
    end if;
    begin
        insert into auth.users (email, username, first_name, last_name)
        values (p_email, p_username, p_first_name, p_last_name)
        returning id into v_id;
    exception when unique_violation then
        -- A concurrent registration won the race between the checks above and the insert.
        get stacked diagnostics v_constraint = constraint_name;
        if v_constraint = 'users_email_uk' then
            perform app.raise_error('TB006', pg_catalog.format('email %s is already registered', app.quote_input(p_email)));
        end if;
        perform app.raise_error('TB007', pg_catalog.format('username %s is taken', app.quote_input(p_username)));
    end;
    update auth.user_security as s
    set password_hash = auth.hash_password(p_password), last_password_change = pg_catalog.now()
    where s.user_id = v_id;
    return v_id;
end
$$;

comment on function api.register_user(text, text, text, text, text) is
'Creates a user (email and username unique case-insensitively, password of 10+ characters) and returns its id. '
'22023 for a malformed email or username or a name over 100 characters, TB005 a weak password, TB006 an email '
'already registered, TB007 a username taken.';
