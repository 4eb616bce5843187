-- depends: app/current_context.sql
-- The user whose rows this transaction may read: the signed context's user (app.current_context) when
-- its credential has the read scope (sessions and act_as always; API keys when created with it).
-- RLS policies call it as (select app.current_user_id()) so it runs once per query; a key without read
-- therefore sees no user rows through any view or table. Functions that act use auth.require_scope.
create or replace function app.current_user_id()
returns uuid
language sql
stable
parallel restricted
set search_path = ''
as $$
    select c.user_id from app.current_context() as c where 'read' = any(c.scopes)
$$;

comment on function app.current_user_id() is
'The user this transaction reads for: the verified token''s or act_as user when its scopes include read; null '
'when anonymous or for an API key without read.';
