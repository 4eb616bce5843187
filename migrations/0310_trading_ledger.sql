-- depends: 0300_trading_accounts 0210_partition_registry
-- The double-entry ledger: postings partitioned by month, journal ids, idempotency keys.
set local role tradebase_owner;

create type trading.journal_line as (
    account_id uuid,
    amount numeric
);
comment on type trading.journal_line is
'One line of a journal for trading.post_journal: the account and the signed amount in its base currency.';

create sequence trading.journal_id_seq as bigint;
comment on sequence trading.journal_id_seq is 'Journal ids: every posting of one journal carries the same id.';

-- No foreign key to trading.accounts on purpose: its check would take FOR KEY SHARE on the system
-- account row with every posting, turning it into a hot row. trading.post_journal is the only
-- writer and checks the accounts; ops.invariant_postings_match_accounts verifies.
create table trading.transactions (
    id bigint generated always as identity,
    journal_id bigint not null,
    account_id uuid not null,
    currency trading.currency_code not null,
    amount app.money not null,
    balance_after app.money,
    kind text not null,
    memo text,
    order_id uuid,
    fill_id bigint,
    posted_at timestamptz not null default now(),
    constraint transactions_pk primary key (id, posted_at),
    constraint transactions_amount_not_zero_ck check (amount <> 0),
    constraint transactions_balance_after_not_negative_ck check (balance_after >= 0),
    constraint transactions_kind_ck check (
        kind in (
            'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'trade', 'fee', 'dividend',
            'cash_in_lieu', 'fx_conversion', 'fund_subscription', 'fund_redemption', 'fund_fee', 'adjustment'
        )
    ),
    constraint transactions_memo_length_ck check (length(memo) <= 500)
) partition by range (posted_at);
comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (deferred constraint trigger). Written only by trading.post_journal.';
comment on column trading.transactions.journal_id is 'The journal this posting belongs to (trading.journal_id_seq).';
comment on column trading.transactions.currency is 'The account''s base currency.';
comment on column trading.transactions.amount is 'Signed: positive increases the account''s balance.';
comment on column trading.transactions.balance_after is
'Cash of a user account after this posting (null for system accounts): any past balance is one index lookup.';
comment on column trading.transactions.order_id is 'The order whose fill or fee caused the posting, if any.';
comment on column trading.transactions.fill_id is 'The fill that caused the posting, if any.';

alter table trading.transactions enable row level security;

-- tradebase partitions ensure (run by migrate) creates the default and the monthly children.
insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
values ('trading.transactions', 'posted_at', 'month', 3, null, 'detach');

-- Past balances (newest posting at or before a time) and system-account sums read this index only.
create index transactions_account_posted_idx on trading.transactions (account_id, posted_at, id)
include (balance_after, amount);
create index transactions_journal_idx on trading.transactions (journal_id);

create table trading.idempotency_keys (
    account_id uuid not null constraint idempotency_keys_account_fk references trading.accounts (id),
    idempotency_key text not null,
    request jsonb not null,
    journal_id bigint not null,
    created_at timestamptz not null default now(),
    constraint idempotency_keys_pk primary key (account_id, idempotency_key),
    constraint idempotency_keys_key_length_ck check (length(idempotency_key) between 1 and 200)
);
comment on table trading.idempotency_keys is
'Cash movements made with an idempotency key: a retry with the same arguments returns the first journal.';
comment on column trading.idempotency_keys.account_id is 'The account the key belongs to (the one debited, or the one credited by a deposit).';
comment on column trading.idempotency_keys.request is 'The operation and its arguments, compared on a retry.';

alter table trading.idempotency_keys enable row level security;
