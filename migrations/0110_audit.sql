-- The audit trail: one append-only log of row changes and non-table events, partitioned by month
-- on logged_at. Until the partition manager registers it, rows land in the default partition.
-- depends: 0100_auth

set local role tradebase_owner;

create table audit.log (
    id bigint generated always as identity,
    logged_at timestamptz not null default clock_timestamp(),
    transaction_id bigint not null default txid_current(),
    acting_user_id uuid,
    session_user_name text not null default session_user,
    application_name text default nullif(current_setting('application_name', true), ''),
    client_address inet default inet_client_addr(),
    schema_name text,
    table_name text,
    operation text not null,
    event text,
    record_id jsonb,
    old_row jsonb,
    new_row jsonb,
    changed_columns text[],
    detail jsonb,
    constraint log_pk primary key (id, logged_at),
    constraint log_operation_ck check (operation in ('INSERT', 'UPDATE', 'DELETE', 'EVENT')),
    constraint log_event_named_ck check ((operation = 'EVENT') = (event is not null)),
    constraint log_table_change_names_table_ck check (operation = 'EVENT' or (schema_name is not null and table_name is not null)),
    constraint log_event_format_ck check (event ~ '^[a-z][a-z0-9_]*$')
) partition by range (logged_at);
comment on table audit.log is
'Append-only audit trail: row changes of audited tables (audit.enable) and events (login, API key use, act_as, exports).';
comment on column audit.log.transaction_id is 'txid_current() of the writing transaction: groups the rows of one call.';
comment on column audit.log.acting_user_id is 'app.current_user_id() when the row was written (null: anonymous or maintenance).';
comment on column audit.log.session_user_name is 'The database login role (an admin acting as a user shows up here).';
comment on column audit.log.operation is 'INSERT, UPDATE, DELETE for row changes; EVENT for non-table events.';
comment on column audit.log.event is 'Event name when operation = EVENT (login_success, login_failure, api_key_used, act_as...).';
comment on column audit.log.record_id is 'Primary key of the changed row as a jsonb object (stable across updates of other columns).';
comment on column audit.log.old_row is 'Row before the change, with secret columns replaced by "[redacted]".';
comment on column audit.log.new_row is 'Row after the change, with secret columns replaced by "[redacted]".';
comment on column audit.log.changed_columns is 'Columns whose value an UPDATE changed.';
create index log_acting_user_idx on audit.log (acting_user_id, logged_at);
create index log_record_idx on audit.log (table_name, record_id);
create index log_event_idx on audit.log (event, logged_at) where event is not null;
alter table audit.log enable row level security;

create table audit.log_default partition of audit.log default;
alter table audit.log_default enable row level security;
