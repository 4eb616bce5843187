-- depends: app/context_signature.sql
-- The value of the setting tradebase.context for a request context under nonce p_nonce: its parts, then
-- their HMAC (app.context_signature). app.set_context signs under a fresh nonce; app.enter_system_actor under
-- the current context's, so that a savepoint rolled back inside the nested actor leaves a valid context.
create or replace function app.signed_context(
    p_user_id uuid, p_via text, p_ref_id uuid, p_scopes text[], p_actor text, p_nonce bigint
)
returns text
language sql
stable
set search_path = ''
as $$
    select v.payload || '/' || app.context_signature(v.payload)
    from (
        select pg_catalog.concat_ws(
            '/', coalesce(p_user_id::text, ''), p_via, coalesce(p_ref_id::text, ''),
            pg_catalog.array_to_string(p_scopes, ','), coalesce(p_actor, ''), p_nonce
        ) as payload
    ) as v
$$;

comment on function app.signed_context(uuid, text, uuid, text[], text, bigint) is
'Owner-only: the signed value of the request context (user, via, session or key id, scopes, system actor) under '
'nonce p_nonce.';
