-- The acting user's risk profiles; administrators read all.
drop policy if exists risk_profiles_owner_read on risk.risk_profiles;
create policy risk_profiles_owner_read on risk.risk_profiles
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy risk_profiles_owner_read on risk.risk_profiles is 'Rows of the acting user; administrators see all.';
