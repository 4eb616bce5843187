-- Positions of the acting user's accounts; administrators read all.
drop policy if exists positions_owner_read on trading.positions;
create policy positions_owner_read on trading.positions
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy positions_owner_read on trading.positions is 'Positions of the acting user''s accounts; administrators see all.';
