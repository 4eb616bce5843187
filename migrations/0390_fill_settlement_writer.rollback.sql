-- Undo 0390: the comments name trading.post_journal as the only writer again.
set local role tradebase_owner;

comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (deferred constraint trigger). Written only by trading.post_journal.';
comment on column trading.accounts.cash is
'Current cash of a user account, kept by trading.post_journal; null for system accounts (their balance is the sum '
'of their postings, so they are never a hot row).';
