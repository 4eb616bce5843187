-- Apps and support staff read the tables behind the api views (RLS applies); writes go through api functions.
grant usage on schema trading to tradebase_app, tradebase_admin;
grant select on
trading.accounts, trading.account_templates, trading.transactions, trading.account_snapshots, trading.trading_sessions
to tradebase_app, tradebase_admin;
grant select on trading.orders, trading.fills, trading.positions, trading.lots, trading.lot_closures
to tradebase_app, tradebase_admin;
