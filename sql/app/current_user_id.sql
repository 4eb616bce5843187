-- depends: app/current_context.sql
-- The acting user: only what api.authenticate / api.act_as signed (app.current_context).
-- Policies call it as (select app.current_user_id()) so it runs once per query.
create or replace function app.current_user_id()
returns uuid
language sql
stable
parallel restricted
set search_path = ''
as $$
    select c.user_id from app.current_context() as c
$$;

comment on function app.current_user_id() is
'The user this transaction acts for, derived from a verified token or a trusted act_as; null when anonymous.';
