-- Fills of the acting user's accounts; administrators read all.
drop policy if exists fills_owner_read on trading.fills;
create policy fills_owner_read on trading.fills
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy fills_owner_read on trading.fills is 'Fills of the acting user''s accounts; administrators see all.';
