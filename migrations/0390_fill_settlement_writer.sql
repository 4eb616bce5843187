-- A fill's settlement journal is now written by trading.apply_fill in the same statement as the fill
-- (the account's cash, its postings, the fill, lot and position), not through trading.post_journal;
-- the comments that named post_journal as the only writer say so.
-- depends: 0380_lean_trade_path
set local role tradebase_owner;

comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (deferred constraint trigger). Written by trading.post_journal, and by '
'trading.apply_fill for a fill''s settlement.';
comment on column trading.accounts.cash is
'Current cash of a user account, kept by trading.post_journal and trading.apply_fill; null for system accounts '
'(their balance is the sum of their postings, so they are never a hot row).';
