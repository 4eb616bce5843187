-- Apps and support staff read the tables behind the fund api views (RLS applies); writes go through api functions.
grant usage on schema fund to tradebase_app, tradebase_admin;
grant select on
fund.fund_types, fund.funds, fund.holdings, fund.lots, fund.flows, fund.fee_accruals, fund.fund_strategies,
fund.performance_snapshots
to tradebase_app, tradebase_admin;
