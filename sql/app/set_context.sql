-- depends: app/context_signature.sql
-- Stores a verified request context for the rest of the transaction (set_config is_local). Only
-- the owner's definer functions (api.authenticate, api.act_as) call it.
create or replace function app.set_context(p_user_id uuid, p_via text, p_ref_id uuid)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_payload text := pg_catalog.concat_ws('/', p_user_id, p_via, coalesce(p_ref_id::text, ''));
begin
    perform pg_catalog.set_config(
        'tradebase.context',
        case when p_user_id is null then '' else v_payload || '/' || app.context_signature(v_payload) end,
        true
    );
end
$$;

comment on function app.set_context(uuid, text, uuid) is
'Owner-only: sets (or with a null user clears) the signed transaction-local request context.';
