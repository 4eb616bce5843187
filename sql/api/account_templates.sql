-- depends: api/template_usage_count.sql
create or replace view api.account_templates with (security_invoker = true) as
select
    t.name,
    t.description,
    t.account_type,
    t.risk_level,
    t.initial_balance,
    t.cost_basis_method,
    t.commission_per_order,
    t.commission_rate,
    t.slippage_bps,
    t.allow_short,
    t.max_volume_participation,
    api.template_usage_count(t.id) as usage_count
from trading.account_templates as t;

comment on view api.account_templates is
'Account templates for api.create_account (p_template = name) with how many accounts use each; usage_count is '
'derived, so creating an account never updates a shared template row.';
