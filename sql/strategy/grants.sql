-- Apps and support staff read the tables behind the api strategy views (RLS applies); writes go through api
-- functions. The functions of this schema run inside those (security definer) and are granted to nobody.
grant usage on schema strategy to tradebase_app, tradebase_admin;
grant select on
strategy.strategies, strategy.signals, strategy.backtests, strategy.backtest_trades, strategy.backtest_equity
to tradebase_app, tradebase_admin;
grant select on strategy.sweeps, strategy.sweep_results to tradebase_app, tradebase_admin;
