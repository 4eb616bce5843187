-- Lot closures of the acting user's accounts; administrators read all.
drop policy if exists lot_closures_owner_read on trading.lot_closures;
create policy lot_closures_owner_read on trading.lot_closures
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy lot_closures_owner_read on trading.lot_closures is 'Lot closures of the acting user''s accounts; administrators see all.';
