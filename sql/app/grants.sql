-- RLS policies call app.current_user_id() / app.is_admin() as the querying role, and current_user_id()
-- calls app.current_context() (re-created with a drop when its columns change, so these grants follow it).
grant usage on schema app to tradebase_app, tradebase_admin, tradebase_worker;
grant execute on function app.current_user_id() to tradebase_app, tradebase_admin;
grant execute on function app.current_context() to tradebase_app, tradebase_admin;
grant execute on function app.is_admin() to tradebase_app, tradebase_admin;
-- The limits of docs/trading.md, for clients that check input before they call (and the bar import).
grant execute on function
app.max_price(), app.max_quantity(), app.max_amount(), app.max_balance(), app.max_volume()
to tradebase_app, tradebase_admin;
-- Jobs and workers may act as a system actor (app.act_as_system checks the login role itself).
grant execute on function app.act_as_system(text) to tradebase_worker;
