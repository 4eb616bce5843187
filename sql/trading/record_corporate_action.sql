-- Records a split or dividend of a security once per (security, kind, date); a second attempt is TB064,
-- so a corporate action can never be applied to the books twice.
create or replace function trading.record_corporate_action(
    p_security market.securities,
    p_kind text,
    p_effective date,
    p_numerator integer default null,
    p_denominator integer default null,
    p_per_share numeric default null,
    p_pay_date date default null
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_action_id uuid;
begin
    insert into trading.corporate_actions (security_id, kind, numerator, denominator, per_share, effective_date, pay_date)
    values (p_security.id, p_kind, p_numerator, p_denominator, p_per_share, p_effective, p_pay_date)
    on conflict on constraint corporate_actions_once_uk do nothing
    returning id into v_action_id;
    if v_action_id is null then
        perform app.raise_error(
            'TB064', pg_catalog.format('a %s of %s on %s was already applied', p_kind, p_security.symbol, p_effective)
        );
    end if;
    return v_action_id;
end
$$;

comment on function trading.record_corporate_action(market.securities, text, date, integer, integer, numeric, date) is
'Inserts a corporate action and returns its id; TB064 when that (security, kind, date) was already applied.';
