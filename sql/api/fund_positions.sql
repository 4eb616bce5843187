-- Funds are transparent (issue 17): anyone may see the positions of an active fund's account, which RLS
-- on trading.positions (the owner's rows) would hide; this definer function shows those and nothing else.
create or replace function api.fund_positions(p_fund_id uuid)
returns setof api.fund_position
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_fund fund.funds;
    v_user uuid;
begin
    v_user := auth.require_scope('read');
    select * into v_fund from fund.funds as f where f.id = p_fund_id;
    if not found or not (
        v_fund.status = 'active' or app.is_admin() or v_fund.manager_id = v_user
        or exists (select from fund.holdings as h where h.fund_id = p_fund_id and h.user_id = v_user)
    ) then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    end if;
    return query
    select
        p_fund_id, s.symbol, p.quantity::numeric,
        case when p.quantity <> 0 then pg_catalog.round(p.cost_basis / p.quantity, 8) end,
        q.price::numeric, pg_catalog.round(p.quantity * q.price, 8)
    from trading.positions as p
    inner join market.securities as s on p.security_id = s.id
    left join market.quotes as q on p.security_id = q.security_id
    where p.account_id = v_fund.account_id and p.quantity <> 0
    order by s.symbol;
end
$$;

comment on function api.fund_positions(uuid) is
'The positions of a fund you may see (every active fund): symbol, quantity, average cost, latest quote and value in '
'the security''s currency. P0002 unknown or not visible to you.';
