-- Readers see the acting user's rows; support staff (app.is_admin) see all. Writes go through api functions.
drop policy if exists user_settings_select_own on auth.user_settings;
create policy user_settings_select_own on auth.user_settings
for select to tradebase_app, tradebase_admin
using (user_id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy user_settings_select_own on auth.user_settings is 'The acting user''s rows, or all rows for support staff.';
