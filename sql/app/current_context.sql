-- depends: app/context_signature.sql
-- The verified request context of this transaction. The setting tradebase.context can be SET by
-- anyone, so its value is trusted only when its HMAC matches (same backend, same transaction) and its
-- nonce is still this backend's latest (no logout or re-authentication since): a value typed by the
-- app role, copied from another transaction or backend, or put back after a logout is refused (42501)
-- rather than silently ignored. It runs on every RLS query and api call, so it reads one setting, the
-- key row and the sequence's session-local currval, and nothing else.
-- Parallel restricted: the HMAC binds the leader's pid, so only the leader may evaluate it.
-- Its columns grew (the system actor): drop the old form only, so that re-applying this file never
-- drops the live function (and with it the grants of app/grants.sql) while apps call it.
do $$
begin
    if exists (
        select from pg_catalog.pg_proc as p
        where p.oid = pg_catalog.to_regprocedure('app.current_context()') and not 'actor' = any(p.proargnames)
    ) then
        drop function app.current_context();
    end if;
end
$$;
create or replace function app.current_context(
    out user_id uuid, out via text, out ref_id uuid, out scopes text[], out actor text
)
returns record
language plpgsql
stable
security definer
parallel restricted
set search_path = ''
as $$
declare
    v_raw text := pg_catalog.current_setting('tradebase.context', true);
    v_parts text [];
begin
    if coalesce(v_raw, '') = '' then
        return;
    end if;
    v_parts := pg_catalog.string_to_array(v_raw, '/');
    if pg_catalog.cardinality(v_parts) <> 7
        or v_parts[7] is distinct from app.context_signature(pg_catalog.array_to_string(v_parts[1:6], '/')) then
        perform app.raise_error('42501', 'the request context of this transaction is not valid',
            'Set it only through api.authenticate(token) or api.act_as(user_id).');
    end if;
    -- Signed in this backend and transaction, so set_context drew its nonce here and currval is defined.
    if v_parts[6] is distinct from pg_catalog.currval('app.context_nonce')::text then
        perform app.raise_error('42501', 'the request context of this transaction was replaced or ended',
            'Call api.authenticate(token) again; a context is valid only until the next logout or authenticate.');
    end if;
    -- Signed by us, so the parts are well-formed.
    user_id := nullif(v_parts[1], '')::uuid;
    via := v_parts[2];
    ref_id := nullif(v_parts[3], '')::uuid;
    scopes := pg_catalog.string_to_array(v_parts[4], ',');
    actor := nullif(v_parts[5], '');
end
$$;

comment on function app.current_context() is
'The verified context of this transaction: user, via (session, api_key, act_as or system), session or key id, '
'scopes, and the system actor (app.system_actors, with no user and no scopes); nulls when anonymous; 42501 for a '
'forged, replayed or superseded value.';
