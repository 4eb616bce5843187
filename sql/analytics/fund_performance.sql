-- Fund performance for analysts (issue 17, docs/funds.md): per fund its last strike (NAV, NAV per share,
-- shares outstanding, the per-share returns and the risk figures the strike took from its running
-- accumulators, fund.next_return_stats, equal to analytics.return_metrics' over the same returns), its
-- investors and the fees it has paid. No personal data: funds by id and type, investors counted. Runs with
-- the owner's rights, like the other analysts' views; its own grant below (the analysts' grants file belongs
-- to the analytics views of issue 15).
create or replace view analytics.fund_performance as
select
    f.id as fund_id,
    f.fund_type,
    f.status,
    f.risk_level,
    f.created_at::date as inception_date,
    s.snapshot_date as last_strike_date,
    s.nav,
    s.nav_per_share,
    s.shares_outstanding,
    s.cumulative_return,
    s.volatility,
    s.sharpe_ratio,
    s.max_drawdown,
    n.strikes,
    h.investors,
    coalesce(e.management_fees_paid, 0) as management_fees_paid,
    coalesce(e.performance_fees_paid, 0) as performance_fees_paid,
    f.accrued_management_fee,
    w.pending_flows
from fund.funds as f
left join lateral (
    select x.*
    from fund.performance_snapshots as x
    where x.fund_id = f.id
    order by x.snapshot_date desc
    limit 1
) as s on true
cross join
    lateral (
        select pg_catalog.count(*) as strikes from fund.performance_snapshots as x
        where x.fund_id = f.id
    ) as n
cross join
    lateral (
        select pg_catalog.count(*) filter (where x.shares > 0) as investors from fund.holdings as x
        where x.fund_id = f.id
    ) as h
left join lateral (
    select
        pg_catalog.sum(x.amount) filter (where x.kind = 'management') as management_fees_paid,
        pg_catalog.sum(x.amount) filter (where x.kind = 'performance') as performance_fees_paid
    from fund.fee_accruals as x
    where x.fund_id = f.id and x.journal_id is not null
) as e on true
cross join lateral (
    select pg_catalog.count(*) as pending_flows from fund.flows as x
    where x.fund_id = f.id and x.status = 'pending'
) as w;

comment on view analytics.fund_performance is
'Per fund: its last strike (NAV, NAV per share, shares, cumulative return, volatility, Sharpe, max drawdown as '
'analytics.return_metrics gives them over its daily per-share returns), strikes so far, investors holding shares, fees paid '
'(management, performance), the management fee accrued and the requests pending.';

grant select on analytics.fund_performance to tradebase_analyst, tradebase_admin;
