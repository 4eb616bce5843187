-- depends: app/signed_context.sql app/current_context.sql
-- An owner's function acts as system actor p_actor for one step (api.fund_trade's placement, ops.run_job's
-- job) and then gives the caller's context back with app.leave_system_actor. The nested context is signed
-- under the caller's nonce instead of a fresh one: a savepoint rolled back inside the step puts the caller's
-- setting back, and a fresh nonce (a sequence, which no rollback undoes) would have made it dead (42501 at
-- the caller's next call). Returns the caller's setting, for app.leave_system_actor.
create or replace function app.enter_system_actor(p_actor text)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_saved text := coalesce(pg_catalog.current_setting('tradebase.context', true), '');
begin
    perform app.current_context();  -- 42501 for a forged or dead context: only a valid one is nested in
    perform pg_catalog.set_config('tradebase.context', app.signed_context(
        null, 'system', null, '{}', p_actor,
        case
            when v_saved = '' then pg_catalog.nextval('app.context_nonce')
            else pg_catalog.split_part(v_saved, '/', 6)::bigint
        end
    ), true);
    return v_saved;
end
$$;

comment on function app.enter_system_actor(text) is
'Owner-only: act as system actor p_actor under the caller''s nonce until app.leave_system_actor; returns the '
'caller''s context setting. 42501 when the caller''s context is not valid.';
