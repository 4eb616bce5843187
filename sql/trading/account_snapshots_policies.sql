drop policy if exists account_snapshots_owner_read on trading.account_snapshots;
create policy account_snapshots_owner_read on trading.account_snapshots
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy account_snapshots_owner_read on trading.account_snapshots is 'Rows of the acting user''s accounts; administrators see all.';
