-- A fund's NAV at its last strike (DESIGN §4): everyone may read the NAV of the funds they may see (every
-- active fund), as api.fund_navs shows its history. Before the first strike: nothing invested, 1 per share.
create or replace function api.fund_nav(p_fund_id uuid)
returns api.fund_nav
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_fund fund.funds;
    v_user uuid;
    v_row api.fund_nav;
begin
    v_user := auth.require_scope('read');
    select * into v_fund from fund.funds as f where f.id = p_fund_id;
    if not found or not (
        v_fund.status = 'active' or app.is_admin() or v_fund.manager_id = v_user
        or exists (select from fund.holdings as h where h.fund_id = p_fund_id and h.user_id = v_user)
    ) then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    end if;
    select
        p_fund_id, s.snapshot_date, s.cash, s.positions_value, s.cash + s.positions_value, s.accrued_management_fee,
        s.accrued_performance_fee, s.nav, s.shares_outstanding, s.nav_per_share, null::integer,
        (select pg_catalog.count(*)::integer from fund.flows as l where l.fund_id = p_fund_id and l.status = 'pending')
    into v_row
    from fund.performance_snapshots as s
    where s.fund_id = p_fund_id
    order by s.snapshot_date desc
    limit 1;
    if not found then
        v_row := row(
            p_fund_id, null, 0, 0, 0, 0, 0, 0, 0, 1, null,
            (select pg_catalog.count(*)::integer from fund.flows as l where l.fund_id = p_fund_id and l.status = 'pending')
        )::api.fund_nav;
    end if;
    return v_row;
end
$$;

comment on function api.fund_nav(uuid) is
'A fund''s NAV at its last strike (before that day''s dealing): total assets, accrued management and performance fees, '
'NAV, shares outstanding, NAV per share (1 before the first strike) and the requests pending. P0002 unknown or not '
'visible to you.';
