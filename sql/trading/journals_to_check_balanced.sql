-- Constraint triggers cannot be created "or replace": drop and create.
-- Fires at commit (or at the end of the statement under SET CONSTRAINTS ... IMMEDIATE) for each journal
-- queued by trading.queue_unbalanced_journals: the journal must then sum to zero per currency.
-- depends: trading/check_journal_balanced.sql
drop trigger if exists journals_to_check_balanced on trading.journals_to_check;

create constraint trigger journals_to_check_balanced
after insert on trading.journals_to_check
deferrable initially deferred
for each row
execute function trading.check_journal_balanced();

comment on trigger journals_to_check_balanced on trading.journals_to_check is
'At commit, every journal queued here must sum to zero per currency (TB041); it is then removed from the queue.';
