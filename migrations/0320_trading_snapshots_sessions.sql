-- depends: 0310_trading_ledger
-- Daily account snapshots (equity history, partitioned by month) and trading sessions, plus the
-- error code for a second open session.
set local role tradebase_owner;

create table trading.account_snapshots (
    account_id uuid not null constraint account_snapshots_account_fk references trading.accounts (id),
    snapshot_date date not null,
    cash app.money not null,
    positions_value app.money not null,
    equity app.money not null,
    taken_at timestamptz not null default now(),
    constraint account_snapshots_pk primary key (account_id, snapshot_date),
    constraint account_snapshots_equity_is_cash_plus_positions_ck check (equity = cash + positions_value)
) partition by range (snapshot_date);
comment on table trading.account_snapshots is
'Daily equity per account (api.snapshot_accounts), partitioned by month on snapshot_date.';
comment on column trading.account_snapshots.snapshot_date is 'The UTC day the snapshot stands for.';
comment on column trading.account_snapshots.positions_value is
'Sum of position quantity times the latest quote price, in the account''s currency (shorts count negative).';
comment on column trading.account_snapshots.taken_at is 'When the snapshot was (last) taken; a rerun replaces it.';

alter table trading.account_snapshots enable row level security;

insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
values ('trading.account_snapshots', 'snapshot_date', 'month', 3, null, 'detach');

create table trading.trading_sessions (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null constraint trading_sessions_account_fk references trading.accounts (id),
    started_at timestamptz not null default now(),
    ended_at timestamptz,
    cash_at_start app.money not null,
    cash_at_end app.money,
    orders_count integer,
    filled_orders integer,
    realized_pnl app.money,
    max_drawdown app.money,
    constraint trading_sessions_ends_after_start_ck check (ended_at >= started_at),
    constraint trading_sessions_results_when_ended_ck check (
        (ended_at is null) = (cash_at_end is null)
        and (ended_at is null) = (orders_count is null)
        and (ended_at is null) = (filled_orders is null)
        and (ended_at is null) = (realized_pnl is null)
        and (ended_at is null) = (max_drawdown is null)
    ),
    constraint trading_sessions_counts_not_negative_ck check (filled_orders >= 0 and filled_orders <= orders_count),
    constraint trading_sessions_drawdown_not_negative_ck check (max_drawdown >= 0)
);
comment on table trading.trading_sessions is
'A stretch of trading on one account (seed trading_sessions): orders, realized P&L and drawdown, filled in when it ends.';
comment on column trading.trading_sessions.ended_at is 'Null while the session is open; at most one open session per account.';
comment on column trading.trading_sessions.orders_count is 'Orders placed on the account during the session.';
comment on column trading.trading_sessions.filled_orders is 'Of those, the ones that filled completely.';
comment on column trading.trading_sessions.realized_pnl is 'Realized P&L of the lot closures during the session.';
comment on column trading.trading_sessions.max_drawdown is
'Largest fall of cumulative realized P&L from its running peak during the session (0 when it never fell).';

create unique index trading_sessions_one_open_per_account_uk on trading.trading_sessions (account_id)
where ended_at is null;
create index trading_sessions_account_started_idx on trading.trading_sessions (account_id, started_at);

alter table trading.trading_sessions enable row level security;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB046', 'session_already_open', 'The account already has an open trading session.',
    'End the open session first.'
);
