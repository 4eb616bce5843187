-- The acting user's alerts; administrators read all.
drop policy if exists alerts_owner_read on risk.alerts;
create policy alerts_owner_read on risk.alerts
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy alerts_owner_read on risk.alerts is 'Rows of the acting user; administrators see all.';
