-- Reference data is not personal: apps and api views read securities, quotes, benchmarks and FX rates.
-- Bars (market.market_data) are read through owner functions; children of partitioned tables get no grants.
grant usage on schema market to tradebase_app;
grant select on market.securities, market.quotes, market.benchmarks, market.fx_rates to tradebase_app;
