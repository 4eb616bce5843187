-- Locks every account a fund's strike or close may post to, in id order (DESIGN §2: sorted locks, so
-- concurrent callers queue instead of deadlocking): the fund's own account, the manager's fee account and
-- the accounts of its pending flows. The caller holds the fund row's lock (so the pending flows do not change
-- underneath). Used by fund.strike and api.set_fund_status.
create or replace function fund.lock_accounts(p_fund fund.funds)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform
    from trading.accounts as a
    where
        a.id = p_fund.account_id
        or a.id = p_fund.fee_account_id
        or a.id in (select l.account_id from fund.flows as l where l.fund_id = p_fund.id and l.status = 'pending')
    order by a.id
    for update;
end
$$;

comment on function fund.lock_accounts(fund.funds) is
'Locks, in id order, the accounts a strike or close of fund p_fund may post to: its account, its fee account and '
'those of its pending flows.';
