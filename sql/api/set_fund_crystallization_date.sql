-- The fund's manager (or an administrator) moves the fund's next crystallization date (docs/funds.md
-- "Crystallization date") to a day from today to a year ahead (fund.checked_crystallization_date, 22023),
-- until the fund's first crystallization: once a lot's performance fee has been charged or its
-- high-water mark moved (a yearly crystallization or a redemption's), or while a crystallization is due
-- (a strike has reached the date with shares in issue and the fee waits for cash), the date is part of
-- the investors' terms and moves only a year at a time with the strike (TB082). A closed fund is 22023.
-- The fund row is locked, so a concurrent strike sees the date before or after, never half.
-- Audited (fund_crystallization_date_set, naming the previous date).
-- depends: fund/checked_crystallization_date.sql api/funds.sql fund/managed_fund.sql
create or replace function api.set_fund_crystallization_date(p_fund_id uuid, p_date date)
returns api.funds
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_fund fund.funds;
    v_row api.funds;
begin
    perform auth.require_scope('trade');
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of your fund (api.funds).');
    end if;
    perform fund.checked_crystallization_date(p_date, 'p_date');
    perform fund.managed_fund(p_fund_id, true, 'sets its crystallization date');
    select * into v_fund from fund.funds as f where f.id = p_fund_id for update;
    if v_fund.status = 'closed' then
        perform app.raise_error('22023', pg_catalog.format('fund %s is closed', p_fund_id),
            'A closed fund crystallizes nothing.');
    elsif exists (select from fund.fee_accruals as a where a.fund_id = p_fund_id and a.kind = 'performance')
        or exists (select from fund.lots as l where l.fund_id = p_fund_id and l.crystallized_at is not null) then
        perform app.raise_error('TB082', pg_catalog.format(
            'fund %s has crystallized performance fees; its crystallization date (%s) no longer moves',
            p_fund_id, v_fund.crystallization_date
        ), 'After the first crystallization the date moves a year on at each one.');
    elsif v_fund.last_strike_date >= v_fund.crystallization_date and v_fund.shares_outstanding > 0 then
        perform app.raise_error('TB082', pg_catalog.format(
            'fund %s is due to crystallize (its date %s was reached at the strike of %s)',
            p_fund_id, v_fund.crystallization_date, v_fund.last_strike_date
        ), 'The crystallization waits for the fund''s cash; its date no longer moves.');
    end if;
    if v_fund.crystallization_date is distinct from p_date then
        update fund.funds as f set crystallization_date = p_date where f.id = p_fund_id;
        perform audit.log_event('fund_crystallization_date_set', v_fund.manager_id, pg_catalog.jsonb_build_object(
            'fund_id', p_fund_id, 'crystallization_date', p_date, 'previous', v_fund.crystallization_date,
            'by', session_user, 'by_user', app.current_user_id()
        ));
    end if;
    select * into v_row from api.funds as f where f.id = p_fund_id;
    return v_row;
end
$$;

comment on function api.set_fund_crystallization_date(uuid, date) is
'The fund''s manager (or an administrator): move the fund''s next crystallization date to p_date (today to a year '
'ahead) before its first crystallization; returns the fund (api.funds), audited. 22023 a date outside that range '
'or a closed fund, P0002 unknown fund, 42501 another manager''s fund, TB082 after a crystallization or while one is due.';
