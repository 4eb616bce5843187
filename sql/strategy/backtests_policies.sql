-- The acting user's rows; administrators read all.
drop policy if exists backtests_owner_read on strategy.backtests;
create policy backtests_owner_read on strategy.backtests
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy backtests_owner_read on strategy.backtests is 'Rows of the acting user; administrators see all.';
