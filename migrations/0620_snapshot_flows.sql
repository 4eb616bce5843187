-- depends: 0320_trading_snapshots_sessions
-- Account returns that flows do not distort (issue 15 §2): each daily snapshot records the account's net
-- external flow of its day, so a time-weighted return can take deposits and withdrawals out of performance,
-- and its positions are valued at the day's own prices (trading.write_snapshots; docs/returns.md).
set local role tradebase_owner;

alter table trading.account_snapshots add column net_flow app.money not null default 0;
comment on column trading.account_snapshots.net_flow is
'Net external cash flow of the day, positive into the account: deposits, withdrawals, transfers in and out, '
'the initial balance, resets (their cash, less the day''s value of the units they closed), fund subscriptions '
'and redemptions, FX conversions and adjustments. Not flows: fills, fees, dividends, cash in lieu, fund fees '
'(docs/returns.md).';
comment on column trading.account_snapshots.cash is
'Cash at the end of the UTC day: the ledger balance then, with each fill''s settlement counted at its filled_at.';
comment on column trading.account_snapshots.positions_value is
'Units held at the end of the UTC day times the last price at or before it (bar close or quote), in the '
'account''s currency (shorts count negative; units without any price count zero).';
