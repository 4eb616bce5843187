-- Lots of the acting user's accounts; administrators read all.
drop policy if exists lots_owner_read on trading.lots;
create policy lots_owner_read on trading.lots
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy lots_owner_read on trading.lots is 'Lots of the acting user''s accounts; administrators see all.';
