-- The acting user's rows; administrators read all.
drop policy if exists sweeps_owner_read on strategy.sweeps;
create policy sweeps_owner_read on strategy.sweeps
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy sweeps_owner_read on strategy.sweeps is 'Rows of the acting user; administrators see all.';
