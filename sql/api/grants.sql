-- What apps may call and read. Keep one block per area.
grant usage on schema api to tradebase_app, tradebase_admin;

-- identity
grant execute on function
api.register_user(text, text, text, text, text),
api.login(text, text, inet, text),
api.authenticate(text),
api.act_as(uuid),
api.logout(),
api.list_sessions(),
api.revoke_session(uuid),
api.create_api_key(text, jsonb, timestamptz),
api.revoke_api_key(uuid),
api.list_api_keys(),
api.change_password(text, text),
api.set_tax_id(text),
api.enable_mfa(text, text),
api.disable_mfa(text),
api.delete_account(text),
api.update_profile(text, text, text, date, text),
api.update_preferences(jsonb),
api.set_user_setting(text, jsonb),
api.connect_platform(text, text, text, jsonb, boolean, integer),
api.disconnect_platform(uuid),
api.platform_credentials(uuid),
api.record_sync(uuid, text, text, integer, integer, text, timestamptz, timestamptz, numeric)
to tradebase_app, tradebase_admin;
grant select on api.users, api.user_preferences, api.user_settings, api.platform_connections, api.sync_logs
to tradebase_app, tradebase_admin;

-- market data (admin-only inside the functions)
grant execute on function api.upsert_security(text, text, text, text, text, boolean) to tradebase_app;
grant execute on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) to tradebase_app;
