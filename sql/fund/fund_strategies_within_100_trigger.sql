-- depends: fund/fund_strategies_within_100.sql
create or replace trigger fund_strategies_within_100
after insert or update of allocation_pct, fund_id on fund.fund_strategies
for each row execute function fund.fund_strategies_within_100();

comment on trigger fund_strategies_within_100 on fund.fund_strategies is
'Allocations of a fund sum to at most 100 percent (fund.fund_strategies_within_100).';
