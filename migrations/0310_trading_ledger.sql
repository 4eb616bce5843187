-- depends: 0300_trading_accounts 0210_partition_registry
-- The double-entry ledger: postings partitioned by month, journal ids, idempotency keys.
set local role tradebase_owner;

create type trading.journal_line as (
    account_id uuid,
    amount numeric
);
comment on type trading.journal_line is
'One line of a journal for trading.post_journal: the account and the signed amount in its base currency.';

-- The posting's one-column rules are domains (see 0300_trading_accounts): a domain's constraints are
-- compiled once per connection and checked where a value is assigned, a table's checks on every write.
create domain app.nonzero_money as app.money
constraint nonzero_money_not_zero_ck check (value <> 0);
comment on domain app.nonzero_money is 'A signed amount of cash that is never zero (a posting).';

create domain trading.posting_kind as text
constraint posting_kind_is_known_ck check (
    value in (
        'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'trade', 'fee', 'dividend',
        'cash_in_lieu', 'fx_conversion', 'fund_subscription', 'fund_redemption', 'fund_fee', 'adjustment'
    )
);
comment on domain trading.posting_kind is 'What moved the cash of a posting (deposit, trade, dividend, ...).';

create domain trading.posting_memo as text
constraint posting_memo_length_ck check (length(value) <= 500);
comment on domain trading.posting_memo is 'A posting''s free text: at most 500 characters.';

create sequence trading.journal_id_seq as bigint;
comment on sequence trading.journal_id_seq is 'Journal ids: every posting of one journal carries the same id.';

-- No foreign key to trading.accounts on purpose: its check would take FOR KEY SHARE on the system
-- account row with every posting, turning it into a hot row. trading.post_journal and, for a fill's
-- settlement, trading.apply_fill are the only writers and check the accounts;
-- ops.invariant_postings_match_accounts verifies.
create table trading.transactions (
    id bigint generated always as identity,
    journal_id bigint not null,
    account_id uuid not null,
    currency trading.currency_code not null,
    amount app.nonzero_money not null,
    balance_after app.nonnegative_money,
    kind trading.posting_kind not null,
    memo trading.posting_memo,
    order_id uuid,
    fill_id bigint,
    posted_at timestamptz not null default now(),
    constraint transactions_pk primary key (id, posted_at)
) partition by range (posted_at);
comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (deferred constraint trigger). Written by trading.post_journal, and by '
'trading.apply_fill for a fill''s settlement.';
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
