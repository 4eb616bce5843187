-- What apps may call and read. Keep one block per area. tradebase migrate re-applies this file whenever it
-- re-applies an api object, so a function file that drops its function (a new return type) is granted again.
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

-- market data and events (administrators and the owner, DESIGN §4; each function checks app.is_admin() itself,
-- so an app login gets 42501 from the function rather than from the grant)
grant execute on function
api.upsert_security(text, text, text, text, text, boolean),
api.record_price(text, numeric, timestamptz, numeric, numeric, numeric),
api.announce_events(integer)
to tradebase_app, tradebase_admin;

-- accounts and cash
grant execute on function
api.create_account(text, text, text, numeric, text, jsonb),
api.deposit(uuid, numeric, text, text),
api.withdraw(uuid, numeric, text, text),
api.transfer_cash(uuid, uuid, numeric, text),
api.account_balance(uuid, timestamptz),
api.template_usage_count(uuid),
api.start_trading_session(uuid),
api.end_trading_session(uuid)
to tradebase_app, tradebase_admin;
grant execute on function api.snapshot_accounts(date) to tradebase_admin;
grant select on
api.accounts, api.transactions, api.account_templates, api.account_snapshots, api.trading_sessions
to tradebase_app, tradebase_admin;

-- orders
grant execute on function
api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text),
api.cancel_order(uuid),
api.expire_orders(timestamptz),
api.match_resting_orders(text, text)
to tradebase_app, tradebase_admin;
grant select on api.positions, api.orders, api.fills, api.lot_closures to tradebase_app, tradebase_admin;

-- risk and notifications
grant execute on function
api.create_risk_rule(text, numeric, uuid),
api.mark_notifications_read(uuid[])
to tradebase_app, tradebase_admin;
grant select on api.notifications, api.risk_rules to tradebase_app, tradebase_admin;

-- corporate actions (administrators only; the functions check)
grant execute on function
api.apply_split(text, integer, integer, date),
api.apply_dividend(text, numeric, date, date)
to tradebase_app, tradebase_admin;
grant execute on function api.reset_paper_account(uuid) to tradebase_app, tradebase_admin;

-- the analysts' views refreshed now (operators only; issue 15 §4)
grant execute on function api.refresh_analytics() to tradebase_admin;

-- account performance and benchmarks (issue 15 §3, docs/analytics.md "Account performance")
grant execute on function
api.account_performance(uuid, text, date),
api.set_account_benchmark(uuid, text)
to tradebase_app, tradebase_admin;
grant select on api.benchmarks, api.risk_metrics to tradebase_app, tradebase_admin;

-- strategies and backtests
grant execute on function
api.create_strategy(text, text, jsonb, text, text[], text, text, numeric, numeric, numeric),
api.update_strategy(uuid, text, jsonb, text, text[], text, text, numeric, numeric, numeric, boolean),
api.record_signal(uuid, text, text, timestamptz, numeric, numeric, text),
api.run_backtest(uuid, text, date, date, numeric, numeric, text)
to tradebase_app, tradebase_admin;
grant select on api.strategies, api.signals, api.backtests, api.backtest_trades, api.backtest_equity
to tradebase_app, tradebase_admin;

-- pooled funds (issue 17, docs/funds.md)
grant execute on function
api.create_fund(text, text, text, numeric, numeric, integer, numeric, numeric, text, text, date),
api.subscribe(uuid, uuid, numeric, text),
api.redeem(uuid, uuid, numeric, text),
api.cancel_fund_flow(uuid),
api.strike_nav(uuid, timestamptz),
api.fund_nav(uuid),
api.fund_positions(uuid),
api.fund_trade(uuid, text, text, numeric, text, numeric, numeric, text, text),
api.set_fund_strategy(uuid, text, numeric, text)
to tradebase_app, tradebase_admin;
grant execute on function api.set_kyc_status(uuid, text) to tradebase_app, tradebase_admin;
grant select on api.funds, api.fund_holdings, api.fund_lots, api.fund_flows, api.fund_navs, api.fund_strategies
to tradebase_app, tradebase_admin;

-- parameter sweeps (issue 16 §3, docs/strategies.md "Sweeps")
grant execute on function api.sweep_backtest(uuid, text, date, date, jsonb, numeric, numeric, text, text)
to tradebase_app, tradebase_admin;
grant select on api.sweeps, api.sweep_results to tradebase_app, tradebase_admin;

-- fund administration (issue 17, docs/funds.md "Pausing and closing", "Crystallization date", "Risk metrics")
grant execute on function
api.set_fund_status(uuid, text),
api.set_fund_crystallization_date(uuid, date)
to tradebase_app, tradebase_admin;
grant select on api.fund_risk_metrics to tradebase_app, tradebase_admin;
