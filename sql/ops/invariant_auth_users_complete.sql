-- handle_new_user gives every user a security and a preferences row; nothing may remove them alone.
create or replace function ops.invariant_auth_users_complete()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format('user %s has no %s row', u.id, m.missing)
    from auth.users as u
    cross join lateral (
        select 'user_security' as missing where not exists (select from auth.user_security as s where s.user_id = u.id)
        union all
        select 'user_preferences' where not exists (select from auth.user_preferences as p where p.user_id = u.id)
    ) as m
$$;

comment on function ops.invariant_auth_users_complete() is 'One row per user missing its auth.user_security or auth.user_preferences row.';
