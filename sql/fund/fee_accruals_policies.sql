drop policy if exists fee_accruals_manager_read on fund.fee_accruals;
create policy fee_accruals_manager_read on fund.fee_accruals
for select
using (
    fund_id in (
        select f.id from fund.funds as f
        where f.manager_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);
comment on policy fee_accruals_manager_read on fund.fee_accruals is 'Fees of the acting manager''s funds; administrators see all.';
