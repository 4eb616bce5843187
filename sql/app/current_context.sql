-- depends: app/context_signature.sql
-- The verified request context of this transaction. The setting tradebase.context can be SET by
-- anyone, so its value is trusted only when its HMAC matches: a value typed by the app role, or
-- copied from another transaction or backend, is refused (42501) rather than silently ignored.
-- Parallel restricted: the HMAC binds the leader's pid, so only the leader may evaluate it.
create or replace function app.current_context(out user_id uuid, out via text, out ref_id uuid)
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
    if pg_catalog.cardinality(v_parts) <> 4
        or v_parts[4] is distinct from app.context_signature(pg_catalog.array_to_string(v_parts[1:3], '/')) then
        perform app.raise_error('42501', 'the request context of this transaction is not valid',
            'Set it only through api.authenticate(token) or api.act_as(user_id).');
    end if;
    -- Signed by us, so the parts are well-formed.
    user_id := v_parts[1]::uuid;
    via := v_parts[2];
    ref_id := nullif(v_parts[3], '')::uuid;
end
$$;

comment on function app.current_context() is
'The verified context (user, via session|api_key|act_as, session or key id) of this transaction; nulls when anonymous.';
