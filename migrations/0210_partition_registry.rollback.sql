-- Undo 0210: the registry (the partitions it made stay with their parents).
set local role tradebase_owner;

drop table ops.partitioned_tables;
