drop policy if exists flows_owner_read on fund.flows;
create policy flows_owner_read on fund.flows
for select
using (user_id = (select app.current_user_id()) or (select app.is_admin()));
comment on policy flows_owner_read on fund.flows is 'The acting investor''s subscriptions and redemptions; administrators see all.';
