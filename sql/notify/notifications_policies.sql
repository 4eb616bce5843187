-- The acting user's notifications; administrators read all.
drop policy if exists notifications_owner_read on notify.notifications;
create policy notifications_owner_read on notify.notifications
for select
using (user_id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy notifications_owner_read on notify.notifications is
'Notifications of the acting user; administrators see all.';
