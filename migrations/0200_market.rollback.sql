-- Undo 0200: the market tables (children of market.market_data go with their parent).
set local role tradebase_owner;

delete from app.error_codes
where sqlstate = 'TB020';

drop table market.fx_rates;
drop table market.benchmarks;
drop table market.market_data;
drop table market.quotes;
drop table market.securities;
