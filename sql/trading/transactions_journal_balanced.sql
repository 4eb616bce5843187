-- Constraint triggers cannot be created "or replace": drop and create.
-- The writers of journals (trading.post_journal, trading.apply_fill) check that a journal balances
-- before they write it and name it in trading.journal_checked (transaction-local) while they insert
-- its postings; the WHEN clause, evaluated as each row is inserted, then queues no event for them.
-- Any other posting (one added later to the same journal included) is checked at commit.
-- depends: trading/check_journal_balanced.sql
drop trigger if exists transactions_journal_balanced on trading.transactions;

create constraint trigger transactions_journal_balanced
after insert on trading.transactions
deferrable initially deferred
for each row
when (pg_catalog.current_setting('trading.journal_checked', true) is distinct from new.journal_id::text)
execute function trading.check_journal_balanced();

comment on trigger transactions_journal_balanced on trading.transactions is
'At commit, every journal must sum to zero per currency (postings written by a function that checked their '
'journal, named in trading.journal_checked, are not queued).';
