-- Support staff and operators: the session (login) role, not the acting user, decides.
create or replace function app.is_admin()
returns boolean
language sql
stable
set search_path = ''
as $$
    select pg_catalog.pg_has_role(session_user, 'tradebase_admin', 'member')
        or pg_catalog.pg_has_role(session_user, 'tradebase_owner', 'member')
$$;

comment on function app.is_admin() is
'True when the session logged in as a superuser, the owner or a member of tradebase_admin.';
