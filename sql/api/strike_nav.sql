-- The manager strikes their fund's NAV now (or for p_as_of, not ahead of the clock): fund.strike values
-- the account, accrues the fees and deals the pending flows; the daily strike_funds job does the same for
-- every fund. A second strike of the same day returns the first one's figures and changes nothing.
-- depends: fund/strike.sql
create or replace function api.strike_nav(p_fund_id uuid, p_as_of timestamptz default pg_catalog.now())
returns api.fund_nav
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_manager uuid;
begin
    perform auth.require_scope('trade');
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of your fund.');
    end if;
    perform trading.checked_time(p_as_of, 'p_as_of');
    select f.manager_id into v_manager from fund.funds as f where f.id = p_fund_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    elsif not app.is_admin() and v_manager is distinct from auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('fund %s is managed by another user', p_fund_id),
            'Only the fund''s manager (or an administrator) strikes its NAV.');
    end if;
    return fund.strike(p_fund_id, p_as_of);
end
$$;

comment on function api.strike_nav(uuid, timestamptz) is
'The fund''s manager (or an administrator): strike its NAV for the UTC day of p_as_of and deal the pending flows '
'(fund.strike); returns the NAV, the flows dealt and those left pending. 42501 another manager''s fund, P0002 unknown, '
'22023 a closed fund, a day before the last strike, or a p_as_of ahead of the clock.';
