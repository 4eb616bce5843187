-- depends: app/enter_system_actor.sql
-- The caller's context back after app.enter_system_actor: p_saved is the setting it returned, valid again
-- since the nested context drew no nonce.
create or replace function app.leave_system_actor(p_saved text)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform pg_catalog.set_config('tradebase.context', p_saved, true);
end
$$;

comment on function app.leave_system_actor(text) is
'Owner-only: put back the request context app.enter_system_actor returned.';
