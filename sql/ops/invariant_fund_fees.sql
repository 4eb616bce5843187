-- Fees paid equal the manager's fee postings (issue 17): per fund, the fee payments (fund.fee_accruals:
-- management and performance) sum to what the fund account paid out as fund_fee postings and to what its fee
-- account received in those journals. The day's management fee is on the day's snapshot: the management
-- payments sum to the fees of the days up to the last one a payment settled, and the fee accrued and unpaid,
-- and the day its oldest part accrued, are those of the days after it. A closed fund has nothing accrued (its
-- close paid what its cash covered and wrote off the rest, so its payments may fall short of its fees).
create or replace function ops.invariant_fund_fees()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'fund %s paid fees of %s; its account''s fee postings come to %s, its manager received %s; '
        'management fees of %s paid through %s for %s on its snapshots; accrued %s since %s for %s since %s',
        f.id, p.paid, -o.paid_out, r.received, p.management, p.settled_through, u.settled,
        f.accrued_management_fee, f.management_fee_unpaid_since, u.unpaid, u.since
    )
    from fund.funds as f
    cross join lateral (
        select
            coalesce(pg_catalog.sum(a.amount), 0) as paid,
            coalesce(pg_catalog.sum(a.amount) filter (where a.kind = 'management'), 0) as management,
            coalesce(
                pg_catalog.max(a.accrual_date) filter (where a.kind = 'management'), '-infinity'::date
            ) as settled_through
        from fund.fee_accruals as a where a.fund_id = f.id
    ) as p
    cross join lateral (
        select
            coalesce(pg_catalog.sum(s.management_fee) filter (where s.snapshot_date <= p.settled_through), 0) as settled,
            coalesce(pg_catalog.sum(s.management_fee) filter (where s.snapshot_date > p.settled_through), 0) as unpaid,
            pg_catalog.min(s.snapshot_date) filter (
                where s.snapshot_date > p.settled_through and s.management_fee > 0
            ) as since
        from fund.performance_snapshots as s
        where s.fund_id = f.id
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
    where
        p.paid <> -o.paid_out or p.paid <> r.received
        or case when f.status = 'closed' then p.management > u.settled else p.management <> u.settled end
        or f.accrued_management_fee <> case when f.status = 'closed' then 0 else u.unpaid end
        or f.management_fee_unpaid_since is distinct from case when f.status <> 'closed' then u.since end
$$;

comment on function ops.invariant_fund_fees() is
'Per fund: fees paid (fund.fee_accruals) = the fund account''s fund_fee postings = what the manager''s fee account '
'received in them; the management payments = the fees on the fund''s snapshots up to the last day they settle '
'(at most, once the fund closed); the accrued management fee and the day of its oldest part = those after it '
'(none once the fund closed).';
