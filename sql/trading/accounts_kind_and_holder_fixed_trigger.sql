-- depends: trading/accounts_kind_and_holder_fixed.sql
-- A column list: the cash and reservation updates of every fill and posting do not call it.
create or replace trigger accounts_kind_and_holder_fixed
before update of kind, user_id
on trading.accounts
for each row execute function trading.accounts_kind_and_holder_fixed();

comment on trigger accounts_kind_and_holder_fixed on trading.accounts is
'An account''s kind and holder never change (trading.accounts_kind_and_holder_fixed).';
