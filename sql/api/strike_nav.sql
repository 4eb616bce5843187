-- The manager strikes their fund's NAV now (or for p_as_of, not ahead of the clock): fund.strike values
-- the account, accrues the fees and deals the flows requested before p_as_of; the daily strike_funds job
-- does the same for every fund. A second strike of the same day returns the first one's figures and
-- changes nothing.
-- depends: fund/strike.sql fund/managed_fund.sql
create or replace function api.strike_nav(p_fund_id uuid, p_as_of timestamptz default pg_catalog.now())
returns api.fund_nav
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    perform auth.require_scope('trade');
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of your fund.');
    end if;
    perform trading.checked_time(p_as_of, 'p_as_of');
    perform fund.managed_fund(p_fund_id, true, 'strikes its NAV');
    return fund.strike(p_fund_id, p_as_of);
end
$$;

comment on function api.strike_nav(uuid, timestamptz) is
'The fund''s manager (or an administrator): strike its NAV for the UTC day of p_as_of and deal the flows requested '
'before it (fund.strike); returns the NAV, the flows dealt and those left pending. 42501 another manager''s fund, '
'P0002 unknown, 22023 a closed fund, a day before the last strike, or a p_as_of ahead of the clock.';
