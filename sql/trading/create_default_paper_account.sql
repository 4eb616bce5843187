-- Every new user gets a default paper account with 100,000 USD (the seeds' handle_new_user), from a
-- trigger of the trading schema so the identity code does not depend on trading.
-- depends: trading/create_account.sql
create or replace function trading.create_default_paper_account()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform trading.create_account(new.id, 'Paper Trading', 'paper', 'balanced', 100000, 'USD', '{}');
    return null;
end
$$;

comment on function trading.create_default_paper_account() is
'After insert on auth.users: open the user''s default paper account (100,000 USD, template balanced).';
