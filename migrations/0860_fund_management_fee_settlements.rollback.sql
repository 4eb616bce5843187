-- Undo 0860: a management fee row per fund and strike day again, from the snapshots' management_fee, paid by
-- the first settlement on or after its day, else unpaid. A fund's close wrote off what its cash did not
-- cover, newest days first (deleting or reducing their rows): the days a settlement pays beyond its amount,
-- and every unpaid day of a closed fund, are reduced the same way.
set local role tradebase_owner;

alter table fund.fee_accruals drop constraint fee_accruals_management_is_a_payment_ck;
create index fee_accruals_unpaid_idx on fund.fee_accruals (fund_id) where journal_id is null;

-- settled: what the day's settlement paid; 0 for a closed fund's unpaid days; null for an open fund's.
create temporary table management_days as
select
    s.fund_id,
    s.snapshot_date,
    s.management_fee as amount,
    t.journal_id,
    t.paid_at,
    coalesce(t.amount, case when f.status = 'closed' then 0 end) as settled
from fund.performance_snapshots as s
inner join fund.funds as f on s.fund_id = f.id
left join lateral (
    select
        a.journal_id,
        a.paid_at,
        a.amount
    from fund.fee_accruals as a
    where a.fund_id = s.fund_id and a.kind = 'management' and a.accrual_date >= s.snapshot_date
    order by a.accrual_date
    limit 1
) as t on true
where s.management_fee > 0;
delete from fund.fee_accruals as a
where a.kind = 'management';
insert into fund.fee_accruals (fund_id, kind, accrual_date, amount, journal_id, paid_at)
select
    w.fund_id,
    'management' as kind,
    w.snapshot_date,
    w.amount - w.written_off as amount,
    w.journal_id,
    w.paid_at
from (
    select
        d.fund_id,
        d.snapshot_date,
        d.amount,
        d.journal_id,
        d.paid_at,
        least(d.amount, greatest(
            coalesce(sum(d.amount) over g - d.settled, 0)
            - coalesce(sum(d.amount) over (g order by d.snapshot_date desc rows between unbounded preceding and 1 preceding), 0),
            0
        )) as written_off
    from management_days as d
    window g as (partition by d.fund_id, d.journal_id)
) as w
where w.amount > w.written_off
order by w.fund_id, w.snapshot_date;
drop table management_days;

alter table fund.funds drop column management_fee_unpaid_since;

comment on table fund.fee_accruals is
'Fees per fund: the management fee accrued at each strike (paid monthly: journal_id set) and each crystallized '
'performance fee of a lot (paid at once by cancelling the lot''s shares worth it).';
comment on column fund.fee_accruals.accrual_date is 'The strike''s UTC day.';
comment on column fund.fee_accruals.journal_id is 'The journal (kind fund_fee) that paid it to the manager; null while accrued.';
