-- The fund a manager's call acts on (issue 17, docs/funds.md): its row, once the caller is known to be its
-- manager, or an administrator where p_admin allows one. P0002 for an unknown fund; 42501 for anyone else,
-- the hint naming what only the manager does (p_action). Not locked: a caller that writes locks the row
-- itself (fund.funds first, then accounts, as fund.strike). One check for strike_nav, fund_trade,
-- set_fund_status, set_fund_strategy and set_fund_crystallization_date.
create or replace function fund.managed_fund(p_fund_id uuid, p_admin boolean, p_action text)
returns fund.funds
language plpgsql
stable
set search_path = ''
as $$
declare
    v_fund fund.funds;
begin
    select * into v_fund from fund.funds as f where f.id = p_fund_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    elsif not (p_admin and app.is_admin()) and v_fund.manager_id is distinct from auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('fund %s is managed by another user', p_fund_id),
            pg_catalog.format('Only the fund''s manager%s %s.', case when p_admin then ' (or an administrator)' end,
                p_action));
    end if;
    return v_fund;
end
$$;

comment on function fund.managed_fund(uuid, boolean, text) is
'Fund p_fund_id''s row when the acting user manages it (or is an administrator, if p_admin); P0002 unknown fund, '
'42501 another user''s fund (the hint: only its manager p_action).';
