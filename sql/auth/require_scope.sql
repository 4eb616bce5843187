-- The first line of every api function that acts for a user: the scope it needs (read, trade,
-- transfer, manage) must be among the scopes of the credential that authenticated this transaction.
-- Sessions and api.act_as carry every scope, an API key those it was created with, a system actor
-- (app.act_as_system) none; the scopes are signed into the context by api.authenticate, so the check
-- reads no table. TB008 when anonymous,
-- except for an administrator's session acting on objects directly (no context: the operator's
-- path through trading.authorized_account), which returns null and leaves the decision to the caller.
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore per
-- call; its callers pin search_path = '', every name in it is schema-qualified, and it is not security
-- definer. Without a context it does not call app.current_context() at all (the operators' order path).
create or replace function auth.require_scope(p_scope text)
returns uuid
language plpgsql
stable
as $$
declare
    v_context record;
begin
    if coalesce(pg_catalog.current_setting('tradebase.context', true), '') = '' then
        if app.is_admin() then
            return null;
        end if;
        perform app.raise_error('TB008', 'this call needs an authenticated user');
    end if;
    select c.user_id, c.via, c.scopes, c.actor into v_context from app.current_context() as c;
    if not coalesce(p_scope = any(v_context.scopes), false) then
        if v_context.actor is not null then
            perform app.raise_error('TB010', pg_catalog.format(
                'the system actor %s has no scope: it acts through the trading functions, not the api', v_context.actor
            ), 'Call api functions with a user''s token, or as support staff with api.act_as(user_id).');
        end if;
        perform app.raise_error('TB010', pg_catalog.format(
            'the %s that authenticated this transaction lacks the %s scope', pg_catalog.replace(v_context.via, '_', ' '),
            p_scope
        ), pg_catalog.format('Create an API key with {"%s": true}, or use a session token.', p_scope));
    end if;
    return v_context.user_id;
end
$$;

comment on function auth.require_scope(text) is
'The acting user when its credential has the scope (read, trade, transfer or manage): TB010 when it lacks it, '
'TB008 when anonymous (an administrator without a context gets null).';
