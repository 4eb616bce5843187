-- Apps and support staff read the tables behind the api risk views (RLS applies).
grant usage on schema risk to tradebase_app, tradebase_admin;
grant select on risk.rules, risk.violations, risk.alerts, risk.risk_profiles to tradebase_app, tradebase_admin;
-- Daily risk metrics (issue 15 §3): read through api.risk_metrics (RLS applies).
grant select on risk.metrics to tradebase_app, tradebase_admin;
