-- Readers see the acting user's rows; support staff (app.is_admin) see all. Writes go through api functions.
drop policy if exists sync_logs_select_own on auth.sync_logs;
create policy sync_logs_select_own on auth.sync_logs
for select to tradebase_app, tradebase_admin
using (user_id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy sync_logs_select_own on auth.sync_logs is 'The acting user''s rows, or all rows for support staff.';
