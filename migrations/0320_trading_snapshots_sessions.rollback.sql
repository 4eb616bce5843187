set local role tradebase_owner;

delete from app.error_codes
where sqlstate = 'TB046';
delete from ops.partitioned_tables
where parent_table = 'trading.account_snapshots';
drop table trading.trading_sessions cascade;
drop table trading.account_snapshots cascade;
