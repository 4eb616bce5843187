-- Apps and support staff read the tables behind the api risk views (RLS applies).
grant usage on schema risk to tradebase_app, tradebase_admin;
grant select on risk.rules, risk.violations, risk.alerts, risk.risk_profiles to tradebase_app, tradebase_admin;
