-- The acting user, or TB008 when the transaction is anonymous. Any credential will do (an API key
-- without the read scope too): api functions that act for a user check their scope with
-- auth.require_scope, which calls this.
create or replace function auth.require_user()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    v_user_id uuid := (select c.user_id from app.current_context() as c);
begin
    if v_user_id is null then
        perform app.raise_error('TB008', 'this call needs an authenticated user');
    end if;
    return v_user_id;
end
$$;

comment on function auth.require_user() is
'The acting user of the verified context (whatever its scopes), raising TB008 when nobody is authenticated.';
