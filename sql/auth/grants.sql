-- Apps read their own rows (RLS) through the api views; tables holding secrets get no grant at all.
grant usage on schema auth to tradebase_app, tradebase_admin;
grant select on auth.users, auth.user_preferences, auth.user_settings, auth.platform_connections, auth.sync_logs
to tradebase_app, tradebase_admin;
-- How far ahead of the clock a time may lie (docs/trading.md, Limits): an operator's bar import checks it.
grant execute on function auth.clock_skew() to tradebase_admin;
