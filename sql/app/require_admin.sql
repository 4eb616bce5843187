-- The gate of operator-only api functions (prices, corporate actions, bulk matching).
create or replace function app.require_admin(p_action text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', pg_catalog.format('only an administrator may %s', p_action),
            'Log in as a member of tradebase_admin (or the owner) to do this.');
    end if;
end
$$;

comment on function app.require_admin(text) is
'Raises 42501 ("only an administrator may <action>") unless the session is an administrator (app.is_admin()).';
