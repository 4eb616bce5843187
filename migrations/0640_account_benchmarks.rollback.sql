-- Undo 0640. The views that read the column (analytics.account_performance) go with it, cascade;
-- tradebase migrate re-creates them from sql/ once it is back.
set local role tradebase_owner;

drop index trading.accounts_benchmark_idx;
alter table trading.accounts drop constraint accounts_benchmark_fk;
alter table trading.accounts drop column benchmark_id cascade;

drop index market.benchmarks_one_default_uk;
alter table market.benchmarks drop constraint benchmarks_default_is_active_with_security_ck;
alter table market.benchmarks drop column is_default cascade;
