-- depends: app/signed_context.sql
-- Stores a verified request context for the rest of the transaction (set_config is_local). Only
-- the owner's definer functions call it: api.authenticate, api.act_as, api.logout, api.delete_account
-- for users, app.act_as_system and ops.run_job for system actors (no user, no scopes, p_actor named).
-- Every call, clearing included, draws a new nonce from app.context_nonce: app.current_context()
-- accepts a context only while its nonce is this backend's currval, so a value captured before a
-- logout (or before another authenticate) is dead even if it is put back by hand in the same transaction.
drop function if exists app.set_context(uuid, text, uuid);
drop function if exists app.set_context(uuid, text, uuid, text[]);
create or replace function app.set_context(
    p_user_id uuid,
    p_via text,
    p_ref_id uuid,
    p_scopes text[] default array['read', 'trade', 'transfer', 'manage'],
    p_actor text default null
)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_nonce bigint := pg_catalog.nextval('app.context_nonce');
begin
    perform pg_catalog.set_config(
        'tradebase.context',
        case
            when p_user_id is null and p_actor is null then ''
            else app.signed_context(p_user_id, p_via, p_ref_id, p_scopes, p_actor, v_nonce)
        end,
        true
    );
end
$$;

comment on function app.set_context(uuid, text, uuid, text[], text) is
'Owner-only: sets (or with neither user nor actor clears) the signed transaction-local request context: user, how '
'it authenticated, session or key id, scopes (default all), system actor, and a fresh nonce that invalidates every '
'earlier context.';
