create or replace function ops.invariant_account_cash_matches_postings()
returns setof text
language plpgsql
stable
set search_path = ''
as $$
begin
    -- One scan of the postings for both sums.
    return query
    select m.message
    from trading.accounts as a
    left join (
        select
            t.account_id,
            pg_catalog.sum(t.amount) as total,
            pg_catalog.sum(t.amount) filter (where trading.is_external_flow(t.kind)) as flows
        from trading.transactions as t
        group by t.account_id
    ) as p on a.id = p.account_id
    cross join lateral (
        values
        (case when a.cash <> coalesce(p.total, 0) then pg_catalog.format(
            'account %s has cash %s, its postings sum to %s', a.id, a.cash, coalesce(p.total, 0)
        ) end),
        (case when a.external_flow <> coalesce(p.flows, 0) then pg_catalog.format(
            'account %s has external_flow %s, its flow postings sum to %s', a.id, a.external_flow, coalesce(p.flows, 0)
        ) end)
    ) as m (message)
    where a.kind <> 'system' and m.message is not null;
    return query
    select pg_catalog.format('account %s has cash %s, its last posting says %s', a.id, a.cash, l.balance_after)
    from trading.accounts as a
    cross join lateral (
        select t.balance_after
        from trading.transactions as t
        where t.account_id = a.id
        order by t.posted_at desc, t.id desc
        limit 1
    ) as l
    where a.kind <> 'system' and a.cash <> l.balance_after;
end
$$;

comment on function ops.invariant_account_cash_matches_postings() is
'Each user account''s cash equals the sum of its postings and the balance_after of its newest posting, and its '
'external_flow the sum of its external-flow postings (trading.is_external_flow).';
