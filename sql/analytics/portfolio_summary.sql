-- The seeds' mv_portfolio_summary (seed 003) and their "user portfolio summary" query, for every user:
-- one row per user, account kind and currency (paper play money and live money, or two currencies, are
-- never added together), materialized because it values every position. api.refresh_analytics() and the
-- refresh_analytics job refresh it concurrently (readers are never blocked), which needs the unique
-- index below. The file drops and re-creates the view: a materialized view has no "or replace", and
-- nothing depends on it (it reads tables only).
-- Reads no personal data: the user is its uuid.
drop materialized view if exists analytics.portfolio_summary;

create materialized view analytics.portfolio_summary as
with
accounts as (
    select
        a.id,
        a.user_id,
        a.kind,
        a.base_currency,
        a.cash,
        a.external_flow
    from trading.accounts as a
    where a.kind <> 'system' and a.status <> 'archived'
),

-- Each part is summed straight to the row's key (user, kind, currency), so the row is put together by
-- joins, not by summing the per-account sums again.
holders as (
    select
        a.user_id,
        a.kind,
        a.base_currency,
        pg_catalog.count(*) as accounts,
        pg_catalog.sum(a.cash) as cash,
        -- External flows (trading.is_external_flow): each account's running total, kept by
        -- trading.post_journal, so no posting is read.
        pg_catalog.sum(a.external_flow) as net_deposits
    from accounts as a
    group by a.user_id, a.kind, a.base_currency
),

-- One FX rate per pair of currencies (security, account) instead of one lookup per position: the newest
-- rate of the pair or its inverse, as analytics.positions_valued reads it; the same currency ranks first.
rates as (
    select
        c.security_currency,
        c.account_currency,
        fx.rate
    from (
        select distinct
            s.currency as security_currency,
            b.base_currency as account_currency
        from market.securities as s
        cross join (select distinct a.base_currency from accounts as a) as b
    ) as c
    cross join lateral (
        select
            1::numeric as rate,
            'infinity'::timestamptz as as_of
        where c.security_currency = c.account_currency
        union all
        select
            d.rate::numeric as rate,
            d.as_of
        from market.fx_rates as d
        where d.base_currency = c.security_currency and d.quote_currency = c.account_currency
        union all
        select
            1 / i.rate::numeric as rate,
            i.as_of
        from market.fx_rates as i
        where i.base_currency = c.account_currency and i.quote_currency = c.security_currency
        order by as_of desc -- noqa: RF02
        limit 1
    ) as fx
),

valued as (
    select
        a.user_id,
        a.kind,
        a.base_currency,
        p.quantity,
        p.cost_basis,
        p.realized_pnl,
        pg_catalog.round(p.quantity * q.price * r.rate, 8) as value
    from trading.positions as p
    inner join accounts as a on p.account_id = a.id
    inner join market.securities as s on p.security_id = s.id
    left join market.quotes as q on p.security_id = q.security_id
    left join rates as r on s.currency = r.security_currency and a.base_currency = r.account_currency
),

positions as (
    select
        v.user_id,
        v.kind,
        v.base_currency,
        pg_catalog.count(*) filter (where v.quantity <> 0) as open_positions,
        pg_catalog.count(*) filter (where v.quantity <> 0 and v.value is null) as unpriced_positions,
        coalesce(pg_catalog.sum(v.value), 0) as positions_value,
        coalesce(pg_catalog.sum(v.cost_basis) filter (where v.value is not null), 0) as priced_cost_basis,
        pg_catalog.sum(v.cost_basis) as cost_basis,
        pg_catalog.sum(v.realized_pnl) as realized_pnl
    from valued as v
    group by v.user_id, v.kind, v.base_currency
)

select
    h.user_id,
    h.kind as account_kind,
    h.base_currency as currency,
    h.accounts::integer as accounts,
    coalesce(p.open_positions, 0)::integer as open_positions,
    coalesce(p.unpriced_positions, 0)::integer as unpriced_positions,
    -- Rounded to 8 decimals with no bound on the digits before the point: a total of numeric(38, 8) made the
    -- refresh fail for everyone (22003) over one holder worth more than 10^30 (a position of 10^17 units,
    -- reachable by splits, at a price of 10^9 in a currency worth 10^6 of the account's).
    pg_catalog.round(h.cash, 8) as cash,
    pg_catalog.round(coalesce(p.positions_value, 0), 8) as positions_value,
    pg_catalog.round(h.cash + coalesce(p.positions_value, 0), 8) as equity,
    pg_catalog.round(coalesce(p.cost_basis, 0), 8) as cost_basis,
    pg_catalog.round(coalesce(p.positions_value - p.priced_cost_basis, 0), 8) as unrealized_pnl,
    pg_catalog.round(coalesce(p.realized_pnl, 0), 8) as realized_pnl,
    pg_catalog.round(h.net_deposits, 8) as net_deposits,
    pg_catalog.round(h.cash + coalesce(p.positions_value, 0) - h.net_deposits, 8) as total_return,
    pg_catalog.round((h.cash + coalesce(p.positions_value, 0) - h.net_deposits) / nullif(h.net_deposits, 0) * 100, 4)
        as total_return_pct
from holders as h
left join positions as p on h.user_id = p.user_id and h.kind = p.kind and h.base_currency = p.base_currency;

create unique index portfolio_summary_user_kind_currency_uk
on analytics.portfolio_summary (user_id, account_kind, currency);

comment on materialized view analytics.portfolio_summary is
'Per user, account kind and currency (archived accounts left out), as of the last refresh '
'(api.refresh_analytics, the refresh_analytics job): accounts, open and unpriced positions, cash, positions value '
'at the latest quotes, equity, cost basis, unrealized and realized P&L, net deposits (external flows: deposits, '
'withdrawals, transfers, initial balance, resets, fund subscriptions and redemptions, FX conversions, '
'adjustments), total return = equity - net deposits and its percentage of net deposits. No personal data. '
'Amounts are numeric to 8 decimals, unbounded: one holder''s size never fails the refresh for everyone.';
comment on column analytics.portfolio_summary.currency is 'The accounts'' base currency: every amount is in it.';
comment on column analytics.portfolio_summary.unpriced_positions is
'Open positions without a quote or FX rate: they count zero in positions_value, equity and total_return.';
comment on column analytics.portfolio_summary.unrealized_pnl is
'Positions value - cost basis of the priced open positions.';
comment on column analytics.portfolio_summary.net_deposits is
'Sum of the accounts'' external flows ever posted (the kinds a snapshot''s net_flow counts); the value of units '
'a paper reset closed is not a flow here, so after a reset total_return counts it as a loss.';
comment on column analytics.portfolio_summary.total_return is 'equity - net_deposits.';
comment on column analytics.portfolio_summary.total_return_pct is
'total_return as a percentage of net_deposits (4 decimals); NULL when net deposits are zero.';
