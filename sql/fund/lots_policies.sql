drop policy if exists lots_owner_read on fund.lots;
create policy lots_owner_read on fund.lots
for select
using (user_id = (select app.current_user_id()) or (select app.is_admin()));
comment on policy lots_owner_read on fund.lots is 'The acting investor''s lots; administrators see all.';
