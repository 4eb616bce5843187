-- Limits (issue 13 §3, docs/trading.md "Limits"): no sequence of accepted calls may make a later call
-- overflow. The api functions bound what they accept (app.max_price, app.max_quantity,
-- app.max_amount); this migration holds the state side of it:
-- 1. running totals that grow with every trade or position, however well each input was bounded
--    (a position's realized P&L over its whole life, a session's, an account's positions at today's
--    prices), become app.money_total, numeric(38,8): a trillion maximal trades would not fill it;
--    a violation's observed value (a fraction of equity that may be tiny) becomes plain numeric;
-- 2. an account's cash stays at or below app.max_balance(), 2 x 10^15 (trading.cash_balance): a credit
--    beyond it is a check violation (23514), never an overflow (22003) of app.money at 10^16, however
--    many credits come. A domain on the one column, not on app.nonnegative_money: its check then runs
--    where cash is written, not on every fee, notional and reservation of the order path;
-- 3. FX rates stay within 10^-6 .. 10^6, so neither a rate nor its inverse rounds to zero at 8 decimals;
-- 4. auth.settings clock_skew_seconds: how far ahead of the clock a tick, bar or sync time may lie.
-- depends: 0370_corporate_actions
set local role tradebase_owner;

-- The api views over the changed columns; tradebase migrate re-creates them.
drop view if exists api.positions, api.trading_sessions, api.account_snapshots, api.accounts;

create domain app.money_total as numeric(38, 8)
constraint money_total_is_finite check (value not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric));
comment on domain app.money_total is
'A running total of cash amounts (realized P&L over a life, equity at today''s prices): exact, 8 decimals, '
'30 integer digits, so no sequence of trades within the limits overflows it.';

alter table trading.positions alter column realized_pnl type app.money_total;
alter table trading.trading_sessions
alter column realized_pnl type app.money_total,
alter column max_drawdown type app.money_total;
alter table trading.account_snapshots
alter column positions_value type app.money_total,
alter column equity type app.money_total;
alter table risk.violations alter column observed type numeric;

create domain trading.cash_balance as app.nonnegative_money
constraint cash_balance_within_limit_ck check (value <= 2000000000000000.0);
comment on domain trading.cash_balance is
'An account''s cash: zero or more and at most app.max_balance(), 2 x 10^15 (docs/trading.md, "Limits").';
alter table trading.accounts alter column cash type trading.cash_balance;

alter table market.fx_rates
add constraint fx_rates_rate_within_limits_ck check (rate >= 0.000001 and rate <= 1000000.0);

alter table auth.settings
add constraint settings_clock_skew_seconds_range_ck check (
    name <> 'clock_skew_seconds' or (value ~ '^[0-9]{1,6}$' and value::integer <= 604800)
);
comment on table auth.settings is
'Tunable parameters (bcrypt cost, clock skew); owner-only, read by the definer functions.';
insert into auth.settings (name, value, description) values
(
    'clock_skew_seconds', '300',
    'How far ahead of the server clock a tick, bar, sync or expiry time may lie (0..604800 seconds, a week).'
);
