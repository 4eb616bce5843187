-- The acting user's rows; administrators read all.
drop policy if exists sweep_results_owner_read on strategy.sweep_results;
create policy sweep_results_owner_read on strategy.sweep_results
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy sweep_results_owner_read on strategy.sweep_results is 'Rows of the acting user; administrators see all.';
