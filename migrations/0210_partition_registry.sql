-- The partition registry of DESIGN §6: one row per partitioned parent that `tradebase partitions`
-- maintains (children ahead of time, a default partition, retention). Register a table from its own
-- migration (add "-- depends: 0210_partition_registry"), and delete the row in its rollback:
--
--   insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
--   values ('trading.transactions', 'posted_at', 'month', 3, null, 'detach');
--
-- depends: 0200_market
set local role tradebase_owner;

create table ops.partitioned_tables (
    parent_table text primary key,
    key_column text not null,
    partition_interval text not null default 'month',
    premake integer not null default 3,
    retention interval,
    retention_mode text not null default 'detach',
    archive_schema text,
    registered_at timestamptz not null default now(),
    constraint partitioned_tables_parent_is_qualified_name_ck check (
        parent_table ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'
    ),
    constraint partitioned_tables_key_column_is_name_ck check (key_column ~ '^[a-z_][a-z0-9_]*$'),
    constraint partitioned_tables_interval_known_ck check (partition_interval in ('month', 'year')),
    constraint partitioned_tables_premake_range_ck check (premake between 0 and 120),
    constraint partitioned_tables_retention_positive_ck check (retention > interval '0'),
    constraint partitioned_tables_retention_mode_known_ck check (retention_mode in ('detach', 'archive', 'drop')),
    constraint partitioned_tables_archive_needs_schema_ck check (
        (retention_mode = 'archive') = (archive_schema is not null)
    ),
    constraint partitioned_tables_archive_schema_is_name_ck check (archive_schema ~ '^[a-z_][a-z0-9_]*$')
);
comment on table ops.partitioned_tables is
'Partitioned parents maintained by tradebase partitions ensure|list|retention (DESIGN §6); one row per parent.';
comment on column ops.partitioned_tables.parent_table is
'The partitioned parent as schema.table (lower-case, unquoted), range-partitioned on key_column.';
comment on column ops.partitioned_tables.key_column is 'The range partition key: a timestamptz or date column.';
comment on column ops.partitioned_tables.partition_interval is 'Each child covers one UTC month or one UTC year.';
comment on column ops.partitioned_tables.premake is
'How many children ensure keeps ahead of the current period (besides the current one).';
comment on column ops.partitioned_tables.retention is
'Children whose upper bound is older than now() minus this are retired; null keeps every child.';
comment on column ops.partitioned_tables.retention_mode is
'What retention does to a retired child: detach (keep as a plain table), archive (detach and move to '
'archive_schema) or drop. The newest child is never retired.';
comment on column ops.partitioned_tables.archive_schema is 'Where archived children go (retention_mode archive only).';

insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
values ('market.market_data', 'ts', 'month', 3, null, 'detach');
