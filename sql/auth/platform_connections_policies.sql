-- Readers see the acting user's rows; support staff (app.is_admin) see all. Writes go through api functions.
drop policy if exists platform_connections_select_own on auth.platform_connections;
create policy platform_connections_select_own on auth.platform_connections
for select to tradebase_app, tradebase_admin
using (user_id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy platform_connections_select_own on auth.platform_connections is 'The acting user''s rows, or all rows for support staff.';
