-- depends: 0720_funds 0800_fund_return_accumulators 0820_fund_admin
-- The day's management fee is kept on the day's snapshot only (fund.performance_snapshots.management_fee,
-- written by the strike anyway), not also as a fund.fee_accruals row per fund and day (issue 17's cost
-- limit, docs/funds.md "Demo and benchmark"). A fund.fee_accruals row of kind management is now a
-- settlement: what a payment paid to the manager, once per payment, its accrual_date the last strike day it
-- settles. What is accrued and unpaid is fund.funds.accrued_management_fee, and the strike day of its oldest
-- part is fund.funds.management_fee_unpaid_since (the month-end payment is due at a later month's first
-- strike when that day lies in an earlier month). Each paid day's rows become one row per payment journal;
-- the unpaid days' rows go (their fees are on their snapshots). The rollback rebuilds the daily rows from
-- the snapshots and the settlements.
set local role tradebase_owner;

alter table fund.funds add column management_fee_unpaid_since date;
comment on column fund.funds.management_fee_unpaid_since is
'The strike day of the oldest management fee accrued and not yet paid; null when nothing is accrued.';

-- (The funds with a fee unpaid get updated_at now, from their touch trigger.)
update fund.funds as f
set management_fee_unpaid_since = u.since
from (
    select
        a.fund_id,
        min(a.accrual_date) as since
    from fund.fee_accruals as a
    where a.kind = 'management' and a.journal_id is null
    group by a.fund_id
) as u
where f.id = u.fund_id;
alter table fund.funds add constraint funds_management_fee_unpaid_since_ck check (
    (accrued_management_fee = 0) = (management_fee_unpaid_since is null)
);

create temporary table management_settlements as
select
    a.fund_id,
    max(a.accrual_date) as accrual_date,
    sum(a.amount) as amount,
    a.journal_id,
    min(a.paid_at) as paid_at
from fund.fee_accruals as a
where a.kind = 'management' and a.journal_id is not null
group by a.fund_id, a.journal_id;
delete from fund.fee_accruals as a
where a.kind = 'management';
insert into fund.fee_accruals (fund_id, kind, accrual_date, amount, journal_id, paid_at)
select
    s.fund_id,
    'management' as kind,
    s.accrual_date,
    s.amount,
    s.journal_id,
    s.paid_at
from management_settlements as s
order by s.fund_id, s.accrual_date;
drop table management_settlements;

drop index fund.fee_accruals_unpaid_idx;
alter table fund.fee_accruals add constraint fee_accruals_management_is_a_payment_ck check (
    kind <> 'management' or journal_id is not null
);

comment on table fund.fee_accruals is
'Fees paid per fund: each payment of the accrued management fee (the day''s accruals are on the snapshots) and '
'each crystallized performance fee of a lot (paid at once by cancelling the lot''s shares worth it).';
comment on column fund.fee_accruals.accrual_date is
'Management fee: the last strike day whose accrual it pays. Performance fee: the strike''s UTC day.';
comment on column fund.fee_accruals.journal_id is 'The journal (kind fund_fee) that paid it to the manager.';
