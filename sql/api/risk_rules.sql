create or replace view api.risk_rules with (security_invoker = true) as
select
    r.id,
    r.account_id,
    r.rule_type,
    r.threshold,
    r.is_active,
    (
        select count(*) from risk.violations as v
        where v.rule_id = r.id
    ) as violations,
    r.created_at
from risk.rules as r;

comment on view api.risk_rules is 'Your pre-trade risk rules (account_id null: all your accounts) and how often each rejected an order.';
