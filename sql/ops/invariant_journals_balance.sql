create or replace function ops.invariant_journals_balance()
returns setof text
language plpgsql
stable
set search_path = ''
as $$
begin
    return query
    select pg_catalog.format('journal %s does not balance in %s: %s', t.journal_id, t.currency, pg_catalog.sum(t.amount))
    from trading.transactions as t
    group by t.journal_id, t.currency
    having pg_catalog.sum(t.amount) <> 0;
    return query
    select pg_catalog.format('journal %s has postings at %s different times', t.journal_id,
        pg_catalog.count(distinct t.posted_at))
    from trading.transactions as t
    group by t.journal_id
    having pg_catalog.count(distinct t.posted_at) > 1;
end
$$;

comment on function ops.invariant_journals_balance() is
'Every journal sums to zero per currency and all its postings share one posted_at.';
