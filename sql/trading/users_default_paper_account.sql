-- depends: trading/create_default_paper_account.sql
create or replace trigger users_default_paper_account
after insert on auth.users
for each row execute function trading.create_default_paper_account();

comment on trigger users_default_paper_account on auth.users is
'Opens the default paper account of every new user.';
