-- The acting user's accounts' risk metrics; administrators read all.
drop policy if exists metrics_owner_read on risk.metrics;
create policy metrics_owner_read on risk.metrics
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy metrics_owner_read on risk.metrics is
'Risk metrics of the acting user''s accounts; administrators see all.';
