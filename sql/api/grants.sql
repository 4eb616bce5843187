-- What apps may call and read. Keep one block per area.
grant usage on schema api to tradebase_app, tradebase_admin;

-- identity
grant execute on function
api.register_user(text, text, text, text, text),
api.login(text, text, inet, text),
api.authenticate(text),
api.act_as(uuid),
api.logout()
to tradebase_app, tradebase_admin;

-- market data
grant execute on function api.upsert_security(text, text, text, text, text, boolean) to tradebase_app;
grant execute on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) to tradebase_app;

-- orders
grant execute on function
api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text),
api.cancel_order(uuid),
api.expire_orders(timestamptz),
api.match_resting_orders(text, text)
to tradebase_app, tradebase_admin;
