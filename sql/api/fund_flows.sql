create or replace view api.fund_flows with (security_invoker = true) as
select
    l.id,
    l.fund_id,
    l.user_id,
    l.account_id,
    l.kind,
    l.status,
    l.amount,
    l.shares,
    l.nav_per_share,
    l.fee,
    l.pending_reason,
    l.idempotency_key,
    l.requested_at,
    l.dealt_at,
    l.strike_date,
    l.closed_at
from fund.flows as l;

comment on view api.fund_flows is
'Your subscriptions and redemptions: pending requests (forward pricing: they deal at the next strike), then dealt '
'(NAV per share, shares, the cash paid in or out, the performance fee), canceled or refused.';
