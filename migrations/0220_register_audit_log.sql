-- The audit trail joins the partition manager: monthly children kept 3 ahead, nothing retired
-- automatically (audit retention is a deliberate operator decision: set retention here when wanted).
-- depends: 0110_audit 0210_partition_registry
set local role tradebase_owner;

insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
values ('audit.log', 'logged_at', 'month', 3, null, 'detach');
