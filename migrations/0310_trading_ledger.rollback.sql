set local role tradebase_owner;

delete from ops.partitioned_tables
where parent_table = 'trading.transactions';
drop table trading.idempotency_keys cascade;
drop table trading.transactions cascade;
drop sequence trading.journal_id_seq;
drop type trading.journal_line cascade;
drop domain trading.posting_memo;
drop domain trading.posting_kind;
drop domain app.nonzero_money;
