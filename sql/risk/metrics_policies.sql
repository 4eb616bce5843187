-- The acting user's accounts' risk metrics; the rows of every fund the user may see (funds_read: every
-- active fund, and the funds they manage or hold), since they derive from its public NAV history;
-- administrators read all.
drop policy if exists metrics_owner_read on risk.metrics;
create policy metrics_owner_read on risk.metrics
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or fund_id in (select f.id from fund.funds as f)
    or (select app.is_admin())
);

comment on policy metrics_owner_read on risk.metrics is
'Risk metrics of the acting user''s accounts and of the funds they may see (every active fund: its NAV history is '
'public); administrators see all.';
