-- Every statement that writes postings has its journals summed at its end (over its transition table);
-- a journal the statement leaves unbalanced is checked whole at commit (trading.journals_to_check and
-- its deferred constraint trigger journals_to_check_balanced). A statement-level trigger with a
-- transition table is allowed on the partitioned parent and sees the rows routed to every partition.
-- Drop and create (the name was a row-level constraint trigger before 0540).
-- depends: trading/queue_unbalanced_journals.sql
drop trigger if exists transactions_journal_balanced on trading.transactions;

create trigger transactions_journal_balanced
after insert on trading.transactions
referencing new table as new_postings
for each statement
execute function trading.queue_unbalanced_journals();

comment on trigger transactions_journal_balanced on trading.transactions is
'At the end of each statement, every journal it wrote that does not sum to zero per currency is queued in '
'trading.journals_to_check, checked whole at commit (TB041).';
