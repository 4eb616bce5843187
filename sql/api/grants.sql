-- What apps may call and read. Support staff (tradebase_admin) get the same and act through api.act_as.
grant usage on schema api to tradebase_app, tradebase_admin;

-- Accounts and cash
grant execute on function
api.create_account(text, text, text, numeric, text, jsonb),
api.deposit(uuid, numeric, text, text),
api.withdraw(uuid, numeric, text, text),
api.transfer_cash(uuid, uuid, numeric, text),
api.account_balance(uuid, timestamptz),
api.template_usage_count(uuid)
to tradebase_app, tradebase_admin;
grant select on api.accounts, api.transactions, api.account_templates to tradebase_app, tradebase_admin;
