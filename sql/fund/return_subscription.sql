-- A pending subscription that will not deal: its cash, held in the fund_subscriptions account since the
-- request, goes back to the investor's account, and the flow closes as p_status (canceled: by the investor
-- or when the fund closes; refused: at a strike) with p_reason, if any, as its reason. The one definition
-- of that refund, for api.cancel_fund_flow, api.set_fund_status and fund.strike. Returns the journal.
create or replace function fund.return_subscription(p_flow fund.flows, p_status text, p_reason text, p_at timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_journal bigint;
begin
    v_journal := trading.post_journal(
        'fund_subscription',
        array[
            (fund.subscriptions_account(
                (select a.base_currency from trading.accounts as a where a.id = p_flow.account_id)
            ), -p_flow.amount),
            (p_flow.account_id, p_flow.amount)
        ]::trading.journal_line [],
        pg_catalog.format('subscription %s %s', p_flow.id, p_status) || coalesce(': ' || p_reason, '')
    );
    update fund.flows as l
    set status = p_status, pending_reason = coalesce(p_reason, l.pending_reason), refund_journal_id = v_journal,
        closed_at = p_at
    where l.id = p_flow.id;
    return v_journal;
end
$$;

comment on function fund.return_subscription(fund.flows, text, text, timestamptz) is
'Returns pending subscription p_flow''s held cash to its account and closes the flow as p_status (canceled or '
'refused) with p_reason at p_at; returns the refund journal.';
