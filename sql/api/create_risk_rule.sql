-- A pre-trade risk rule for one account of the acting user, or (no account) for all of them.
create or replace function api.create_risk_rule(
    p_rule_type text,
    p_threshold numeric,
    p_account_id uuid default null
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_type text := pg_catalog.upper(p_rule_type);
    v_user_id uuid;
    v_id uuid;
begin
    perform auth.require_scope('trade');
    if v_type is null or v_type not in (
        'MAX_POSITION_SIZE', 'MAX_POSITION_PCT', 'MAX_ORDER_NOTIONAL', 'MAX_DAILY_LOSS', 'MAX_ORDERS_PER_DAY',
        'MIN_CAPITAL_THRESHOLD', 'MAX_DRAWDOWN'
    ) then
        perform app.raise_error(
            '22023', pg_catalog.format('risk rule type %s is unknown', p_rule_type),
            'Use MAX_POSITION_SIZE, MAX_POSITION_PCT, MAX_ORDER_NOTIONAL, MAX_DAILY_LOSS, MAX_ORDERS_PER_DAY, '
            || 'MIN_CAPITAL_THRESHOLD or MAX_DRAWDOWN.'
        );
    end if;
    -- The threshold is stored exactly (numeric(24,8)) within the type's range (docs/trading.md, "Limits").
    case v_type
        when 'MAX_POSITION_PCT', 'MAX_DRAWDOWN' then
            perform trading.checked_number(p_threshold, pg_catalog.format('threshold of a %s rule', v_type),
                0.00000001, 1, 8);
        when 'MAX_POSITION_SIZE' then
            perform trading.checked_number(p_threshold, 'threshold of a MAX_POSITION_SIZE rule',
                0.00000001, app.max_quantity(), 8);
        when 'MAX_ORDERS_PER_DAY' then
            perform trading.checked_number(p_threshold, 'threshold of a MAX_ORDERS_PER_DAY rule', 1, 1000000000, 0);
        else
            perform trading.checked_number(p_threshold, pg_catalog.format('threshold of a %s rule', v_type),
                0.00000001, app.max_amount(), 8);
    end case;
    if p_account_id is not null then
        v_user_id := (trading.authorized_account(p_account_id)).user_id;
    else
        v_user_id := auth.require_user();
    end if;
    insert into risk.rules (user_id, account_id, rule_type, threshold)
    values (v_user_id, p_account_id, v_type, p_threshold)
    returning id into v_id;
    return v_id;
end
$$;

comment on function api.create_risk_rule(text, numeric, uuid) is
'Adds a pre-trade risk rule for an account of the acting user, or for all their accounts when p_account_id is null. '
'22023 unknown type or bad threshold (fractions in (0, 1], units up to app.max_quantity(), money up to '
'app.max_amount(), orders per day a whole number up to 10^9; at most 8 decimals); P0002/42501 for an unknown or '
'foreign account; TB008 when anonymous.';
