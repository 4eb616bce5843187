-- Shares are counted three times and agree (issue 17): a fund's shares outstanding, the sum of its
-- holdings, and the sum of its open lots; and each investor's holding is the sum of their open lots.
create or replace function ops.invariant_fund_shares()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'fund %s has %s shares outstanding, holdings of %s and open lots of %s',
        f.id, f.shares_outstanding, h.shares, l.shares
    )
    from fund.funds as f
    cross join lateral (
        select coalesce(pg_catalog.sum(x.shares), 0) as shares from fund.holdings as x where x.fund_id = f.id
    ) as h
    cross join lateral (
        select coalesce(pg_catalog.sum(x.shares), 0) as shares from fund.lots as x where x.fund_id = f.id
    ) as l
    where f.shares_outstanding <> h.shares or h.shares <> l.shares
    union all
    select pg_catalog.format(
        'investor %s holds %s shares of fund %s, their open lots %s', h.user_id, h.shares, h.fund_id, l.shares
    )
    from fund.holdings as h
    cross join lateral (
        select coalesce(pg_catalog.sum(x.shares), 0) as shares
        from fund.lots as x
        where x.fund_id = h.fund_id and x.user_id = h.user_id
    ) as l
    where h.shares <> l.shares
$$;

comment on function ops.invariant_fund_shares() is
'Each fund''s shares outstanding equal the sum of its holdings and of its open lots; each holding the investor''s lots.';
