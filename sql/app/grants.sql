-- RLS policies call app.current_user_id() / app.is_admin() as the querying role.
grant usage on schema app to tradebase_app, tradebase_admin;
grant execute on function app.current_user_id() to tradebase_app, tradebase_admin;
grant execute on function app.current_context() to tradebase_app, tradebase_admin;
grant execute on function app.is_admin() to tradebase_app, tradebase_admin;
