create or replace view api.accounts with (security_invoker = true) as
select
    a.id,
    a.user_id,
    a.name,
    a.kind,
    a.account_type,
    a.risk_level,
    a.base_currency,
    a.initial_balance,
    a.cash,
    a.reserved_cash,
    a.cash - a.reserved_cash as available_cash,
    a.status,
    a.is_default,
    t.name as template,
    a.cost_basis_method,
    a.commission_per_order,
    a.commission_rate,
    a.slippage_bps,
    a.allow_short,
    a.max_volume_participation,
    a.created_at,
    a.updated_at
from trading.accounts as a
left join trading.account_templates as t on a.template_id = t.id
where a.kind <> 'system';

comment on view api.accounts is
'Your accounts with cash, reserved cash (open buy orders) and available cash, status and settings.';
