-- The journal-balance guarantee no longer rests on a setting a session can set: a statement-level
-- trigger on trading.transactions sums, per journal, the postings each statement wrote (its transition
-- table); a journal whose postings of one statement do not balance is queued here, and a deferred
-- constraint trigger on this table checks the whole journal at commit.
-- depends: 0310_trading_ledger
set local role tradebase_owner;

create table trading.journals_to_check (
    journal_id bigint not null,
    posted_at timestamptz not null,
    constraint journals_to_check_pk primary key (journal_id, posted_at)
);
comment on table trading.journals_to_check is
'Journals one of whose statements wrote postings that do not sum to zero per currency '
'(trading.transactions_journal_balanced): each is checked whole at commit, then removed. Empty between transactions.';
-- Nobody but the owner reads or writes it (the writers of postings and the check run as the owner).
alter table trading.journals_to_check enable row level security;
comment on column trading.journals_to_check.posted_at is
'The postings'' posted_at: the check sums the journal''s postings of that time (one partition).';

comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (summed per statement by transactions_journal_balanced, and whole at commit when a '
'statement left it unbalanced). Written by trading.post_journal, and by trading.apply_fill for a fill''s settlement.';
