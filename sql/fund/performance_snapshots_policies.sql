drop policy if exists performance_snapshots_read on fund.performance_snapshots;
create policy performance_snapshots_read on fund.performance_snapshots
for select
using (fund_id in (select f.id from fund.funds as f));
comment on policy performance_snapshots_read on fund.performance_snapshots is
'NAV history of the funds the user may see (funds_read): every active fund''s, for transparency.';
