-- Constraint triggers cannot be created "or replace": drop and create.
-- depends: trading/check_journal_balanced.sql
drop trigger if exists transactions_journal_balanced on trading.transactions;

create constraint trigger transactions_journal_balanced
after insert on trading.transactions
deferrable initially deferred
for each row execute function trading.check_journal_balanced();

comment on trigger transactions_journal_balanced on trading.transactions is
'At commit, every journal must sum to zero per currency.';
