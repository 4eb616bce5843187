set local role tradebase_owner;

delete from ops.partitioned_tables
where parent_table = 'audit.log';
