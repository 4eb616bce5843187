-- A pending request withdrawn before a strike deals it: a subscription's held cash goes back to its account
-- (fund.return_subscription), a redemption just closes. The one definition for api.cancel_fund_flow (the
-- investor) and api.delete_account (the user's requests, with the reason); the caller holds the fund row.
-- depends: fund/return_subscription.sql
create or replace function fund.cancel_flow(p_flow fund.flows, p_reason text, p_at timestamptz)
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
    if p_flow.kind = 'subscription' then
        perform fund.return_subscription(p_flow, 'canceled', p_reason, p_at);
    else
        update fund.flows as l
        set status = 'canceled', pending_reason = coalesce(p_reason, l.pending_reason), closed_at = p_at
        where l.id = p_flow.id;
    end if;
end
$$;

comment on function fund.cancel_flow(fund.flows, text, timestamptz) is
'Cancel pending flow p_flow at p_at with reason p_reason (or none): a subscription''s held cash returned, a '
'redemption closed. The caller holds the fund row.';
