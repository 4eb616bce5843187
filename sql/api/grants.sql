-- What apps may call: api functions only (each is security definer and checks the acting user).
grant usage on schema api to tradebase_app;
grant execute on function api.upsert_security(text, text, text, text, text, boolean) to tradebase_app;
grant execute on function api.record_price(text, numeric, timestamptz, numeric, numeric, numeric) to tradebase_app;

-- Accounts and cash. Support staff (tradebase_admin) read and call them too; they act through api.act_as.
grant usage on schema api to tradebase_admin;
grant execute on function
api.create_account(text, text, text, numeric, text, jsonb),
api.deposit(uuid, numeric, text, text),
api.withdraw(uuid, numeric, text, text),
api.transfer_cash(uuid, uuid, numeric, text),
api.account_balance(uuid, timestamptz),
api.template_usage_count(uuid)
to tradebase_app, tradebase_admin;
grant select on api.accounts, api.transactions, api.account_templates to tradebase_app, tradebase_admin;
