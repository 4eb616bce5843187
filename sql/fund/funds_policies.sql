drop policy if exists funds_read on fund.funds;
create policy funds_read on fund.funds
for select
using (
    status = 'active'
    or manager_id = (select app.current_user_id())
    or id in (
        select h.fund_id from fund.holdings as h
        where h.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);
comment on policy funds_read on fund.funds is
'Active funds for everyone; a manager''s own funds and an investor''s funds in any status; administrators all.';
