-- A new user gets their security row (no password yet: api.register_user sets it) and default
-- preferences. Other domains attach their own AFTER INSERT triggers (e.g. the default paper account).
create or replace function auth.handle_new_user()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into auth.user_security (user_id) values (new.id);
    insert into auth.user_preferences (user_id) values (new.id);
    return null;
end
$$;

comment on function auth.handle_new_user() is
'Trigger on auth.users: creates the user''s auth.user_security and auth.user_preferences rows.';
