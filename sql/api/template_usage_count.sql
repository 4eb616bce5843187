-- Counts every account made from a template, across users (a count reveals no one's data), for the
-- api.account_templates view whose invoker only sees their own accounts.
create or replace function api.template_usage_count(p_template_id uuid)
returns bigint
language sql
stable
strict
security definer
set search_path = ''
as $$
    select pg_catalog.count(*) from trading.accounts as a where a.template_id = p_template_id
$$;

comment on function api.template_usage_count(uuid) is 'How many accounts were created from the template.';
