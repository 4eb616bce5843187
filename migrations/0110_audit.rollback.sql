-- Undo 0110: the audit log and its partitions.
set local role tradebase_owner;

drop table audit.log cascade;
