create or replace view api.fund_navs with (security_invoker = true) as
select
    s.fund_id,
    s.snapshot_date,
    s.as_of,
    s.cash + s.positions_value as total_assets,
    s.accrued_management_fee,
    s.management_fee,
    s.accrued_performance_fee,
    s.nav,
    s.shares_outstanding,
    s.nav_per_share,
    s.daily_return,
    s.cumulative_return,
    s.volatility,
    s.sharpe_ratio,
    s.max_drawdown
from fund.performance_snapshots as s;

comment on view api.fund_navs is
'NAV history of the funds you may see (every active fund): one row per strike day with NAV, NAV per share and the '
'per-share returns.';
