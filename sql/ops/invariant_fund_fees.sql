-- Fees paid equal the manager's fee postings (issue 17): per fund, the paid fee accruals (management and
-- performance) sum to what the fund account paid out as fund_fee postings and to what its fee account
-- received in those journals; the accrued management fee is the sum of the unpaid accruals.
create or replace function ops.invariant_fund_fees()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'fund %s paid fees of %s; its account''s fee postings come to %s, its manager received %s, accrued %s of %s',
        f.id, p.paid, -o.paid_out, r.received, f.accrued_management_fee, u.unpaid
    )
    from fund.funds as f
    cross join lateral (
        select coalesce(pg_catalog.sum(a.amount), 0) as paid
        from fund.fee_accruals as a where a.fund_id = f.id and a.journal_id is not null
    ) as p
    cross join lateral (
        select coalesce(pg_catalog.sum(a.amount), 0) as unpaid
        from fund.fee_accruals as a where a.fund_id = f.id and a.kind = 'management' and a.journal_id is null
    ) as u
    cross join lateral (
        select coalesce(pg_catalog.sum(t.amount), 0) as paid_out
        from trading.transactions as t where t.account_id = f.account_id and t.kind = 'fund_fee'
    ) as o
    cross join lateral (
        select coalesce(pg_catalog.sum(t.amount), 0) as received
        from trading.transactions as t
        where t.account_id = f.fee_account_id and t.kind = 'fund_fee'
            and t.journal_id in (
                select x.journal_id from trading.transactions as x
                where x.account_id = f.account_id and x.kind = 'fund_fee'
            )
    ) as r
    where p.paid <> -o.paid_out or p.paid <> r.received or f.accrued_management_fee <> u.unpaid
$$;

comment on function ops.invariant_fund_fees() is
'Per fund: fees paid (fund.fee_accruals with a journal) = the fund account''s fund_fee postings = what the manager''s '
'fee account received in them; accrued management fee = the unpaid accruals.';
