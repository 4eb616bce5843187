-- The acting user, or TB008 when the transaction is anonymous: the first line of every api
-- function that acts for a user.
create or replace function auth.require_user()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    v_user_id uuid := app.current_user_id();
begin
    if v_user_id is null then
        perform app.raise_error('TB008', 'this call needs an authenticated user');
    end if;
    return v_user_id;
end
$$;

comment on function auth.require_user() is 'app.current_user_id(), raising TB008 when nobody is authenticated.';
