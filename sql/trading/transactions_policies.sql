-- Postings of the acting user's accounts (accounts_user_name_uk indexes user_id); administrators see all.
drop policy if exists transactions_owner_read on trading.transactions;
create policy transactions_owner_read on trading.transactions
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy transactions_owner_read on trading.transactions is
'Postings of the acting user''s accounts; administrators see all.';
