-- What analysts may run in analytics (their role may run nothing elsewhere: ops.catalog_lint). tradebase
-- migrate re-applies this file whenever it re-applies an analytics object, so a re-created function is
-- granted again. analytics.return_metrics_final stays with the owner: an aggregate's support functions are
-- checked against the aggregate's owner (and return_metrics runs as its owner).
grant usage on schema analytics to tradebase_analyst, tradebase_admin;

-- Return metrics (issue 15 §1, docs/analytics.md)
grant execute on function
analytics.return_metrics(double precision[], double precision[], integer),
analytics.return_metrics_agg(double precision)
to tradebase_analyst, tradebase_admin;

-- Account returns (issue 15 §2, docs/returns.md)
grant execute on function
analytics.xirr(double precision[], date[]),
analytics.account_daily_returns(uuid, date, date),
analytics.account_returns(uuid, date, date)
to tradebase_analyst, tradebase_admin;

-- The analysts' views (issue 15 §4, docs/analytics.md "Analysts' views"): SELECT only; they run with the
-- owner's rights, so the tables behind them stay closed to analysts.
grant select on
analytics.positions_valued,
analytics.top_holdings,
analytics.portfolio_summary,
analytics.daily_equity,
analytics.trade_stats,
analytics.order_flow,
analytics.exposure
to tradebase_analyst, tradebase_admin;

-- Account performance (issue 15 §3, docs/analytics.md "Account performance")
grant execute on function
analytics.benchmark_daily_returns(uuid, date, date),
analytics.account_performance(uuid, text, date)
to tradebase_analyst, tradebase_admin;
grant select on analytics.account_performance to tradebase_analyst, tradebase_admin;
