drop policy if exists holdings_owner_read on fund.holdings;
create policy holdings_owner_read on fund.holdings
for select
using (user_id = (select app.current_user_id()) or (select app.is_admin()));
comment on policy holdings_owner_read on fund.holdings is 'The acting investor''s holdings; administrators see all.';
