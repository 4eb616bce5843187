-- The fund's manager (or an administrator) pauses, resumes or closes a fund (docs/funds.md "Pausing and
-- closing"). The life cycle: active <-> paused, active or paused -> closed, and closed is terminal (TB080).
-- - paused: no new subscriptions (api.subscribe's 22023 for a fund that is not active); still struck
--   daily (the strike_funds job), its fees accrue, redemptions deal, the manager trades; subscriptions
--   already pending are refused at the next strike and their cash returned (fund.strike), unless the
--   fund is active again by then.
-- - closed: the end of the fund. The fund is no longer struck and its account no longer trades, so it
--   closes only once it is empty (TB081): no shares in issue, no pending redemption, no position and no
--   open order on its account; otherwise investors' money would be locked in a fund that never deals
--   again. Closing cancels the pending subscriptions and returns their cash (each investor is told),
--   and pays the management fee still accrued to the manager from the fund's cash (what that cash does
--   not cover, the rounding of the last redemptions, is written off).
-- Setting the status a fund has changes nothing. The fund row is locked first, then every account the
-- close posts to in id order (as fund.strike does), so a close and a concurrent subscription, strike or
-- trade queue behind each other. Audited (fund_status_set, naming the previous status).
-- depends: fund/subscriptions_account.sql api/funds.sql fund/pay_management_fee.sql fund/managed_fund.sql
create or replace function api.set_fund_status(p_fund_id uuid, p_status text)
returns api.funds
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_fund fund.funds;
    v_account trading.accounts;
    v_flow fund.flows;
    v_canceled integer := 0;
    v_fee_paid numeric := 0;
    v_written_off numeric := 0;
    v_shares numeric;
    v_now timestamptz := pg_catalog.clock_timestamp();
    v_row api.funds;
begin
    perform auth.require_scope('trade');
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of your fund (api.funds).');
    elsif p_status is null or p_status not in ('active', 'paused', 'closed') then
        perform app.raise_error('22023', pg_catalog.format('fund status %s is unknown', app.quote_input(p_status)),
            'Use active, paused or closed.');
    end if;
    perform fund.managed_fund(p_fund_id, true, 'changes its status');
    select * into v_fund from fund.funds as f where f.id = p_fund_id for update;

    if v_fund.status = p_status then
        select * into v_row from api.funds as f where f.id = p_fund_id;
        return v_row;
    elsif v_fund.status = 'closed' then
        perform app.raise_error('TB080', pg_catalog.format('fund %s is closed and cannot become %s', p_fund_id,
            p_status), 'A closed fund stays closed; open a new fund instead (api.create_fund).');
    end if;

    if p_status = 'closed' then
        perform fund.lock_accounts(v_fund);
        select coalesce(pg_catalog.sum(h.shares), 0) into v_shares from fund.holdings as h where h.fund_id = p_fund_id;
        if v_fund.shares_outstanding > 0 or v_shares > 0 then
            perform app.raise_error('TB081', pg_catalog.format('fund %s has %s shares in issue', p_fund_id,
                greatest(v_fund.shares_outstanding, v_shares)),
                'Pause it (api.set_fund_status) and close it once every investor has redeemed.');
        elsif exists (
            select from fund.flows as l where l.fund_id = p_fund_id and l.status = 'pending' and l.kind = 'redemption'
        ) then
            perform app.raise_error('TB081', pg_catalog.format('fund %s has pending redemptions', p_fund_id),
                'Strike the fund (api.strike_nav) so they deal, then close it.');
        elsif exists (
            select from trading.positions as p where p.account_id = v_fund.account_id and p.quantity <> 0
        ) then
            perform app.raise_error('TB081', pg_catalog.format('fund %s still holds positions', p_fund_id),
                'Sell them first (api.fund_trade): a closed fund no longer trades.');
        elsif exists (
            select from trading.orders as o
            where o.account_id = v_fund.account_id and o.status in ('new', 'partially_filled')
        ) then
            perform app.raise_error('TB081', pg_catalog.format('fund %s has open orders', p_fund_id),
                'Cancel them first (api.cancel_order): a closed fund no longer trades.');
        end if;

        -- The pending subscriptions are canceled and their held cash returned.
        for v_flow in
            select l.* from fund.flows as l
            where l.fund_id = p_fund_id and l.status = 'pending' and l.kind = 'subscription'
            order by l.requested_at, l.id
        loop
            perform fund.return_subscription(v_flow, 'canceled', 'the fund closed', v_now);
            perform notify.publish(v_flow.user_id, 'system', 'info', 'Fund closed',
                pg_catalog.format('Fund %s closed: your pending subscription of %s was canceled and its cash returned.',
                    v_fund.name, v_flow.amount),
                pg_catalog.jsonb_build_object('event', 'fund_closed', 'fund_id', p_fund_id, 'flow_id', v_flow.id), false);
            v_canceled := v_canceled + 1;
        end loop;

        -- The management fee still accrued is the manager's, paid now from the fund's free cash (one
        -- payment row, settling the days up to the last strike). With no investor and no position left,
        -- that cash is all the fund has: what it does not cover (in practice the rounding of the last
        -- redemptions, a few 1e-8) is written off (the audit event names it).
        if v_fund.accrued_management_fee > 0 then
            select * into v_account from trading.accounts as a where a.id = v_fund.account_id;
            v_fee_paid := least(v_fund.accrued_management_fee, greatest(v_account.cash - v_account.reserved_cash, 0));
            v_written_off := v_fund.accrued_management_fee - v_fee_paid;
            if v_fee_paid > 0 then
                perform fund.pay_management_fee(v_fund, v_fee_paid, v_fund.last_strike_date,
                    pg_catalog.format('management fee of fund %s, paid at its close', p_fund_id), v_now);
            end if;
            update fund.funds as f
            set accrued_management_fee = 0, management_fee_unpaid_since = null
            where f.id = p_fund_id;
        end if;
    end if;

    update fund.funds as f set status = p_status where f.id = p_fund_id;
    perform audit.log_event('fund_status_set', v_fund.manager_id, pg_catalog.jsonb_build_object(
        'fund_id', p_fund_id, 'status', p_status, 'previous', v_fund.status, 'by', session_user,
        'by_user', app.current_user_id(), 'subscriptions_canceled', v_canceled, 'management_fee_paid', v_fee_paid,
        'management_fee_written_off', v_written_off
    ));
    select * into v_row from api.funds as f where f.id = p_fund_id;
    return v_row;
end
$$;

comment on function api.set_fund_status(uuid, text) is
'The fund''s manager (or an administrator): set its status to active, paused (no new subscriptions; still struck, '
'redemptions deal) or closed (terminal: only an empty fund closes; its pending subscriptions are canceled and their '
'cash returned, the accrued management fee paid from its cash); returns the fund (api.funds), audited. 22023 unknown status, P0002 '
'unknown fund, 42501 another manager''s fund, TB080 a closed fund, TB081 closing a fund that is not empty.';
