-- A rule rejected an order: the violation, a risk alert, and the user's notification.
create or replace function risk.record_violation(
    p_rule_id uuid,
    p_order_id uuid,
    p_observed numeric,
    p_message text
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order trading.orders;
    v_rule risk.rules;
    v_violation_id bigint;
begin
    select * into strict v_order from trading.orders as o where o.id = p_order_id;
    select * into strict v_rule from risk.rules as r where r.id = p_rule_id;
    insert into risk.violations (rule_id, account_id, order_id, rule_type, threshold, observed, message)
    values (p_rule_id, v_order.account_id, p_order_id, v_rule.rule_type, v_rule.threshold, p_observed, p_message)
    returning id into v_violation_id;
    insert into risk.alerts (user_id, account_id, violation_id, severity, message)
    values (v_rule.user_id, v_order.account_id, v_violation_id, 'warning', p_message);
    perform notify.publish(
        v_rule.user_id, 'risk_alert', 'warning', 'Risk rule ' || v_rule.rule_type, p_message,
        pg_catalog.jsonb_build_object(
            'rule_id', p_rule_id, 'order_id', p_order_id, 'account_id', v_order.account_id,
            'rule_type', v_rule.rule_type, 'threshold', v_rule.threshold, 'observed', p_observed
        )
    );
    return v_violation_id;
end
$$;

comment on function risk.record_violation(uuid, uuid, numeric, text) is
'Records that a risk rule rejected an order: a risk.violations row, a risk.alerts row and a risk_alert notification.';
