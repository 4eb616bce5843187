-- Users read their own accounts; administrators read all (system accounts have no owner).
drop policy if exists accounts_owner_read on trading.accounts;
create policy accounts_owner_read on trading.accounts
for select
using (user_id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy accounts_owner_read on trading.accounts is 'The acting user''s accounts; administrators see all.';
