-- depends: fund/funds_hold_their_accounts.sql
create or replace trigger funds_hold_their_accounts
before insert or update of manager_id, account_id, fee_account_id
on fund.funds
for each row execute function fund.funds_hold_their_accounts();

comment on trigger funds_hold_their_accounts on fund.funds is
'A fund''s account is a fund account of its manager''s and its fee account a live one '
'(fund.funds_hold_their_accounts).';
