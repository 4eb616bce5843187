-- depends: app/current_context.sql app/is_admin.sql
-- Who is acting in this transaction, as orders record it (trading.orders.placed_by): the system actor
-- of a system context; support for an administrator acting as a user (api.act_as) or an operator's
-- session without a context; owner for a user's own session or API key; null when anonymous.
-- PL/pgSQL, not SQL: a SQL function that cannot be inlined is planned anew on every call, and every
-- order calls this. No set search_path: a SET clause would cost a GUC save and restore per order; every
-- name in it is schema-qualified, and it is not security definer. Without a context it does not call
-- app.current_context() at all (the operators' order path).
create or replace function app.current_actor()
returns text
language plpgsql
stable
parallel restricted
as $$
declare
    v_context record;
begin
    if coalesce(pg_catalog.current_setting('tradebase.context', true), '') = '' then
        return case when app.is_admin() then 'support' end;
    end if;
    select c.user_id, c.via, c.actor into v_context from app.current_context() as c;
    return case
        when v_context.actor is not null then v_context.actor
        when v_context.via = 'act_as' then 'support'
        else 'owner'
    end;
end
$$;

comment on function app.current_actor() is
'The actor of this transaction: a system actor''s name, support (act_as, or an operator without a context), owner '
'(the user''s session or API key), or null when anonymous.';
