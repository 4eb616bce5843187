-- depends: app/set_context.sql
-- A job or worker acts as a system actor (DESIGN §3): for the rest of the transaction it has no user
-- and no scopes (RLS shows it nothing, api functions refuse it); it acts through the owner's trading
-- functions, and the audit rows it causes carry the actor's name. Only the owner (and superusers) and
-- members of tradebase_worker may assume one, and never a login that is also an app: support staff act
-- for a user with api.act_as instead. Decided by the login role (session_user), which nothing the
-- caller sets can change.
create or replace function app.act_as_system(p_actor text)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not (
        pg_catalog.pg_has_role(session_user, 'tradebase_owner', 'member')
        or pg_catalog.pg_has_role(session_user, 'tradebase_worker', 'member')
        and not pg_catalog.pg_has_role(session_user, 'tradebase_app', 'member')
    ) then
        perform app.raise_error('42501', pg_catalog.format('role %s may not act as a system actor', session_user),
            'Only the owner and members of tradebase_worker (jobs, workers) may; support staff use api.act_as.');
    end if;
    if not exists (select from app.system_actors as s where s.name = p_actor) then
        perform app.raise_error('P0002', pg_catalog.format('no system actor named %s', app.quote_input(p_actor)),
            'See app.system_actors for the names.');
    end if;
    perform app.set_context(null, 'system', null, '{}', p_actor);
    perform audit.log_event('system_actor_assumed', null, pg_catalog.jsonb_build_object('session_user', session_user));
    return p_actor;
end
$$;

comment on function app.act_as_system(text) is
'Jobs and workers: act as the system actor p_actor (app.system_actors) for the rest of the transaction, audited '
'(system_actor_assumed). 42501 unless the login role is the owner (or a superuser) or a member of tradebase_worker '
'that is not an app; P0002 for an unknown name.';
