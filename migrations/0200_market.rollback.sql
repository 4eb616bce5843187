-- Undo 0200: the market tables (children of market.market_data go with their parent). cascade also
-- drops the sql/ objects built on them (e.g. functions returning market.securities); migrate restores them.
set local role tradebase_owner;

delete from app.error_codes
where sqlstate = 'TB020';

drop table market.fx_rates;
drop table market.benchmarks;
drop table market.market_data;
drop table market.quotes;
drop table market.securities cascade;
