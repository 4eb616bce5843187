-- What apps may call: api functions only (each is security definer and checks the acting user).
grant usage on schema api to tradebase_app;
grant execute on function api.upsert_security(text, text, text, text, text, boolean) to tradebase_app;
grant execute on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) to tradebase_app;
grant execute on function api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text)
to tradebase_app;
grant execute on function api.cancel_order(uuid) to tradebase_app;
grant execute on function api.expire_orders(timestamptz) to tradebase_app;
grant execute on function api.match_resting_orders(text, text) to tradebase_app;
