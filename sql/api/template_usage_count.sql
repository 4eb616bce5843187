-- Counts every account made from a template, across users (a count reveals no one's data), for the
-- api.account_templates view whose invoker only sees their own accounts. Needs the read scope like
-- every read: an anonymous caller may only register or log in (DESIGN §3).
create or replace function api.template_usage_count(p_template_id uuid)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    perform auth.require_scope('read');
    return (select pg_catalog.count(*) from trading.accounts as a where a.template_id = p_template_id);
end
$$;

comment on function api.template_usage_count(uuid) is
'How many accounts were created from the template (any user''s); TB008 when anonymous, TB010 without the read scope.';
