-- Readers see the acting user's rows; support staff (app.is_admin) see all. Writes go through api functions.
drop policy if exists users_select_own on auth.users;
create policy users_select_own on auth.users
for select to tradebase_app, tradebase_admin
using (id = (select app.current_user_id()) or (select app.is_admin()));

comment on policy users_select_own on auth.users is 'The acting user''s rows, or all rows for support staff.';
