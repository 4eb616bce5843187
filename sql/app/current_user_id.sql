-- The acting user of this transaction. Until identity lands (api.authenticate / api.act_as),
-- nobody is authenticated and every caller is anonymous.
create or replace function app.current_user_id()
returns uuid
language sql
stable
as $$
    select null::uuid
$$;

comment on function app.current_user_id() is
'The user this transaction acts for, derived from a verified token or a trusted act_as; null when anonymous.';
