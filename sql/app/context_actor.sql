-- depends: app/current_context.sql
-- The actor of a verified request context (app.current_context): the system actor of a system context,
-- support for an administrator acting as a user (api.act_as), owner for the user's own session or API
-- key. app.current_actor calls it only when there is a context.
-- No set search_path: every order with a context calls it; every name in it is schema-qualified, and it
-- is not security definer.
create or replace function app.context_actor()
returns text
language plpgsql
stable
parallel restricted
as $$
declare
    v_context record;
begin
    select c.user_id, c.via, c.actor into v_context from app.current_context() as c;
    return case
        when v_context.actor is not null then v_context.actor
        when v_context.via = 'act_as' then 'support'
        when v_context.user_id is not null then 'owner'
    end;
end
$$;

comment on function app.context_actor() is
'The actor of this transaction''s verified context: a system actor''s name, support (act_as) or owner (the user''s '
'session or API key); null without a context.';
