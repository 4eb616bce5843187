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
