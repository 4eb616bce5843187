-- The acting user's rules; administrators read all.
drop policy if exists rules_owner_read on risk.rules;
create policy rules_owner_read on risk.rules
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy rules_owner_read on risk.rules is 'Rows of the acting user; administrators see all.';
