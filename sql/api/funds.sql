-- The fund catalogue (issue 17): every active fund (plus your own and those you hold, whatever their
-- status) with its terms and the NAV per share of its last strike.
create or replace view api.funds with (security_invoker = true) as
select
    f.id,
    f.name,
    f.description,
    f.manager_id,
    f.fund_type,
    f.status,
    f.risk_level,
    b.symbol as benchmark,
    f.management_fee_rate,
    f.performance_fee_rate,
    f.min_investment,
    f.max_investment,
    f.max_investors,
    f.account_id,
    f.shares_outstanding,
    f.nav_per_share,
    f.last_strike_date,
    f.crystallization_date,
    f.created_at
from fund.funds as f
left join market.benchmarks as b on f.benchmark_id = b.id;

comment on view api.funds is
'Funds: every active fund (transparency), and your own or held funds in any status; terms, fees, limits and the NAV '
'per share of the last strike.';
