-- The acting user's violations; administrators read all.
drop policy if exists violations_owner_read on risk.violations;
create policy violations_owner_read on risk.violations
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy violations_owner_read on risk.violations is
'Violations on the acting user''s accounts; administrators see all.';
