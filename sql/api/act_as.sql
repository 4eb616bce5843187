-- Support staff act as a user: allowed only when the login role (session_user) is a superuser, the
-- owner or a member of tradebase_admin — never because of anything the app role can set. Audited.
create or replace function api.act_as(p_user_id uuid)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', pg_catalog.format('role %s may not act as another user', session_user),
            'Only members of tradebase_admin may call api.act_as.');
    end if;
    if not exists (select from auth.users as u where u.id = p_user_id) then
        perform app.raise_error('P0002', pg_catalog.format('user %s does not exist', p_user_id));
    end if;
    perform app.set_context(p_user_id, 'act_as', null);
    perform audit.log_event('act_as', p_user_id, pg_catalog.jsonb_build_object('session_user', session_user));
    return p_user_id;
end
$$;

comment on function api.act_as(uuid) is
'Support staff (tradebase_admin members, the owner, superusers) act as a user for this transaction; audited. '
'42501 for anyone else, P0002 for an unknown user.';
