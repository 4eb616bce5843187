-- depends: app/context_actor.sql app/is_admin.sql
-- Who is acting in this transaction, as orders record it (trading.orders.placed_by): the actor of the
-- verified context (app.context_actor: a system actor, support for api.act_as, owner for the user's
-- session or API key), or support for an operator's session without a context; null when anonymous.
-- SQL without a SET clause, a plain expression, so the planner inlines it into trading.place_order: the
-- operators' order path, without a context, then pays for no function call at all.
create or replace function app.current_actor()
returns text
language sql
stable
parallel restricted
as $$
    select case
        when coalesce(pg_catalog.current_setting('tradebase.context', true), '') <> '' then app.context_actor()
        when app.is_admin() then 'support'
    end
$$;

comment on function app.current_actor() is
'The actor of this transaction: a system actor''s name, support (act_as, or an operator without a context), owner '
'(the user''s session or API key), or null when anonymous.';
