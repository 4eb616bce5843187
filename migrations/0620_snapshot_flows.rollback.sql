-- Undo 0620: the net flow of a snapshot, and the column comments 0320 wrote.
set local role tradebase_owner;

-- api.account_snapshots shows net_flow; tradebase migrate re-creates it.
drop view if exists api.account_snapshots cascade;

comment on column trading.account_snapshots.positions_value is
'Sum of position quantity times the latest quote price, in the account''s currency (shorts count negative).';
comment on column trading.account_snapshots.cash is null;
alter table trading.account_snapshots drop column net_flow;
