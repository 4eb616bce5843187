-- Undo 0540: the queue of journals to check at commit, and the table comment 0310 wrote.
set local role tradebase_owner;

comment on table trading.transactions is
'Ledger postings, partitioned by month on posted_at. A journal is the set of postings with one journal_id; '
'it sums to zero per currency (deferred constraint trigger). Written by trading.post_journal, and by '
'trading.apply_fill for a fill''s settlement.';

drop table trading.journals_to_check;
