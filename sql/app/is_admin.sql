-- Support staff and operators: the session (login) role, not the acting user, decides.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and the order path
-- calls this on every order (inlined it costs nothing; called, it is planned anew each time). Every name
-- in the body is schema-qualified, and it is not security definer.
create or replace function app.is_admin()
returns boolean
language sql
stable
as $$
    select pg_catalog.pg_has_role(session_user, 'tradebase_admin', 'member')
        or pg_catalog.pg_has_role(session_user, 'tradebase_owner', 'member')
$$;

comment on function app.is_admin() is
'True when the session logged in as a superuser, the owner or a member of tradebase_admin.';
