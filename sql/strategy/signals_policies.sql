-- The acting user's rows; administrators read all.
drop policy if exists signals_owner_read on strategy.signals;
create policy signals_owner_read on strategy.signals
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy signals_owner_read on strategy.signals is 'Rows of the acting user; administrators see all.';
