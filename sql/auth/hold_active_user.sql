-- A request that leaves something of a user's behind (a fund request, a fund; a platform connection, an
-- API key, an MFA secret, a tax id) holds the user's row against api.delete_account, which updates that row
-- before it reads what the user left: a request that holds it first is seen and undone by the deletion,
-- one that comes after waits for it and then finds the user deleted. Taken in the order api.delete_account
-- locks: after the user's auth.user_security row where the call locks that (the deletion's
-- auth.verify_password locks it first), before any fund or account row. (Accounts: trading.create_account
-- checks the row it locks itself.) For no key update, as trading.create_account takes it: a transaction that
-- holds the row and then opens an account takes no second, stronger lock that an identical transaction
-- could deadlock with (key-share locks of foreign keys still pass).
create or replace function auth.hold_active_user(p_user_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform from auth.users as u where u.id = p_user_id and u.is_active and u.deleted_at is null for no key update;
    if not found then
        perform app.raise_error('TB004', pg_catalog.format('user %s is disabled', p_user_id));
    end if;
end
$$;

comment on function auth.hold_active_user(uuid) is
'Locks user p_user_id''s row (for no key update) against a concurrent api.delete_account; TB004 when the user is '
'disabled or deleted.';
