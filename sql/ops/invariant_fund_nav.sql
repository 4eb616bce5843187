-- A fund's NAV reconciles to its account's ledger (issue 17): the last strike's cash is the fund
-- account's balance at the moment the strike read it (the balance_after of its last posting by then),
-- and, while no fill has settled on the account since (its posting's clock time) and no split of a held
-- security has been applied since its valuation time, its positions value is the account's positions at
-- the strike's prices (where those prices are still known: market.quotes keeps only the latest quote, so
-- once it has moved past the strike only daily bars can show the price at the strike); and the cash of the
-- pending subscriptions is what the fund_subscriptions system accounts hold. (NAV = cash + positions -
-- accrued fee is a check constraint of the snapshot.)
-- PL/pgSQL, so its body is bound when it runs: it prices with market.price_at, of a schema applied after ops.
create or replace function ops.invariant_fund_nav()
returns setof text
language plpgsql
stable
set search_path = ''
as $$
begin
    return query
    with latest as (
        select distinct on (s.fund_id) s.*, f.account_id
        from fund.performance_snapshots as s
        inner join fund.funds as f on s.fund_id = f.id
        order by s.fund_id, s.snapshot_date desc
    )
    select pg_catalog.format(
        'fund %s struck cash %s on %s; its account held %s then', s.fund_id, s.cash, s.snapshot_date, b.balance
    )
    from latest as s
    cross join lateral (
        select coalesce((
            select t.balance_after
            from trading.transactions as t
            where t.account_id = s.account_id and t.posted_at <= s.struck_at
            order by t.posted_at desc, t.id desc
            limit 1
        ), 0) as balance
    ) as b
    where s.cash <> b.balance
    union all
    select pg_catalog.format(
        'fund %s valued its positions at %s on %s; they are worth %s at the same prices',
        s.fund_id, s.positions_value, s.snapshot_date, v.value
    )
    from latest as s
    cross join lateral (
        select
            coalesce(pg_catalog.sum(pg_catalog.round(p.quantity * px.price, 8)), 0) as value,
            pg_catalog.count(*) filter (where px.price is null) as unpriced
        from trading.positions as p
        inner join trading.accounts as a on p.account_id = a.id
        inner join market.securities as c on p.security_id = c.id
        left join lateral market.price_at(p.security_id, s.as_of) as px on true
        where p.account_id = s.account_id and p.quantity <> 0 and c.currency = a.base_currency
    ) as v
    where
        s.positions_value <> v.value
        and v.unpriced = 0
        and not exists (
            select from trading.transactions as t
            where t.account_id = s.account_id and t.fill_id is not null and t.posted_at > s.struck_at
        )
        -- Nor once a split of a held security was applied since the valuation time: it rescaled the positions
        -- and the prices (to 10 and 8 decimals), so revaluing no longer gives the struck value to the unit.
        and not exists (
            select from trading.corporate_actions as c
            inner join trading.positions as p on c.security_id = p.security_id
            where p.account_id = s.account_id and c.kind = 'split' and c.applied_at >= s.as_of
        )
        and not exists (
            select from trading.positions as p
            inner join trading.accounts as a on p.account_id = a.id
            inner join market.securities as c on p.security_id = c.id
            where p.account_id = s.account_id and c.currency <> a.base_currency
        )
    union all
    select pg_catalog.format(
        'fund_subscriptions %s holds %s; pending subscriptions in it come to %s', a.base_currency, b.held, p.pending
    )
    from trading.accounts as a
    cross join lateral (
        select coalesce(pg_catalog.sum(t.amount), 0) as held from trading.transactions as t where t.account_id = a.id
    ) as b
    cross join lateral (
        select coalesce(pg_catalog.sum(l.amount), 0) as pending
        from fund.flows as l
        inner join trading.accounts as x on l.account_id = x.id
        where l.status = 'pending' and l.kind = 'subscription' and x.base_currency = a.base_currency
    ) as p
    where a.system_purpose = 'fund_subscriptions' and b.held <> p.pending;
end
$$;

comment on function ops.invariant_fund_nav() is
'Each fund''s last strike reconciles to its account''s ledger (cash at the strike; positions at the strike''s prices '
'while no fill followed), and the fund_subscriptions accounts hold exactly the pending subscriptions'' cash.';
