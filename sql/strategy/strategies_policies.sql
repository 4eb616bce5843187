-- The acting user's strategies and the public catalogue (user_id null); administrators read all.
drop policy if exists strategies_owner_or_public_read on strategy.strategies;
create policy strategies_owner_or_public_read on strategy.strategies
for select
using (
    user_id is null or user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy strategies_owner_or_public_read on strategy.strategies is
'Rows of the acting user and the public catalogue; administrators see all.';
