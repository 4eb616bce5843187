-- Undo 0720: the strike job, the fund tables (children of fund.performance_snapshots go with their parent),
-- the api types and the fund_subscriptions system purpose (its system accounts first).
set local role tradebase_owner;

delete from ops.jobs
where name = 'strike_funds';

delete from ops.partitioned_tables
where parent_table = 'fund.performance_snapshots';

drop view if exists api.funds, api.fund_holdings, api.fund_lots, api.fund_flows, api.fund_navs, api.fund_strategies
cascade;
drop type if exists api.fund_nav cascade;
drop type if exists api.fund_position cascade;

drop table fund.performance_snapshots cascade;
drop table fund.fund_strategies cascade;
drop table fund.fee_accruals cascade;
drop table fund.lots cascade;
drop table fund.flows cascade;
drop table fund.holdings cascade;
drop table fund.funds cascade;
drop table fund.fund_types cascade;

delete from trading.accounts
where system_purpose = 'fund_subscriptions';

alter domain trading.system_purpose rename constraint system_purpose_is_known_ck to system_purpose_was_known_ck;
alter domain trading.system_purpose add constraint system_purpose_is_known_ck check (
    value in ('external_cash', 'market_clearing', 'fee_income', 'paper_capital')
);
alter domain trading.system_purpose drop constraint system_purpose_was_known_ck;
