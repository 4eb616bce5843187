-- Orders of the acting user's accounts; administrators read all.
drop policy if exists orders_owner_read on trading.orders;
create policy orders_owner_read on trading.orders
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy orders_owner_read on trading.orders is 'Orders of the acting user''s accounts; administrators see all.';
