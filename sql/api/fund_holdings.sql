-- depends: api/fund_lots.sql
-- Your fund holdings and their value net of your lots' accrued performance fees (what you would get
-- at the last strike's NAV per share).
create or replace view api.fund_holdings with (security_invoker = true) as
select
    h.fund_id,
    f.name as fund_name,
    h.user_id,
    h.shares,
    f.nav_per_share,
    round(h.shares * f.nav_per_share, 8) as gross_value,
    coalesce(l.accrued_performance_fee, 0) as accrued_performance_fee,
    round(h.shares * f.nav_per_share, 8) - coalesce(l.accrued_performance_fee, 0) as net_value,
    h.net_invested,
    f.last_strike_date as valued_on,
    h.updated_at
from fund.holdings as h
inner join fund.funds as f on h.fund_id = f.id
left join lateral (
    select sum(o.accrued_performance_fee) as accrued_performance_fee
    from api.fund_lots as o
    where o.fund_id = h.fund_id and o.user_id = h.user_id and o.shares > 0
) as l on true;

comment on view api.fund_holdings is
'Your holdings: shares, their value at the last NAV per share, your lots'' accrued performance fees and the value net '
'of them, and your net investment.';
