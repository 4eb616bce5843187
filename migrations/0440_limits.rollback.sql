-- Undo 0440. Narrowing the widened columns fails if a value no longer fits the old type.
set local role tradebase_owner;

-- cascade: api functions return these views' row types (issue 14 §5); tradebase migrate re-creates both.
drop view if exists api.positions, api.trading_sessions, api.account_snapshots, api.accounts cascade;

delete from auth.settings
where name = 'clock_skew_seconds';
comment on table auth.settings is
'Tunable identity parameters (bcrypt cost); owner-only, read by the definer functions.';
alter table auth.settings drop constraint settings_clock_skew_seconds_range_ck;

alter table market.fx_rates drop constraint fx_rates_rate_within_limits_ck;

alter table trading.accounts alter column cash type app.nonnegative_money;
drop domain trading.cash_balance;

alter table risk.violations alter column observed type numeric(28, 10);
alter table trading.account_snapshots
alter column positions_value type app.money,
alter column equity type app.money;
alter table trading.trading_sessions
alter column realized_pnl type app.money,
alter column max_drawdown type app.money;
alter table trading.positions alter column realized_pnl type app.money;

drop domain app.money_total;
