-- Every open position of every user account at the latest quote, for analysts (issue 15 §4, DESIGN §4):
-- what api.positions shows a user about their own, across users and without any personal data (the
-- user appears as its uuid; no account or security name). The view runs with its owner's rights (no
-- security_invoker): analysts hold SELECT on analytics only, and RLS, not forced, lets the owner read
-- every row. The FX rate is inlined as api.positions does: a function a view calls runs with the
-- reader's rights, and analysts may execute nothing outside analytics.
create or replace view analytics.positions_valued as
select
    p.account_id,
    a.user_id,
    a.kind as account_kind,
    a.base_currency as currency,
    p.security_id,
    s.symbol,
    s.asset_type,
    s.currency as security_currency,
    p.quantity,
    p.cost_basis,
    pg_catalog.round(p.cost_basis / p.quantity, 8) as avg_cost,
    q.price,
    q.quoted_at as priced_at,
    fx.rate as fx_rate,
    pg_catalog.round(p.quantity * q.price * fx.rate, 8) as market_value,
    pg_catalog.round(p.quantity * q.price * fx.rate, 8) - p.cost_basis as unrealized_pnl,
    pg_catalog.round(
        (pg_catalog.round(p.quantity * q.price * fx.rate, 8) - p.cost_basis) / nullif(pg_catalog.abs(p.cost_basis), 0)
        * 100,
        4
    ) as unrealized_return_pct,
    p.realized_pnl,
    p.opened_at
from trading.positions as p
inner join trading.accounts as a on p.account_id = a.id
inner join market.securities as s on p.security_id = s.id
left join market.quotes as q on p.security_id = q.security_id
-- The newest rate of the pair or its inverse, as market.convert reads it; the same currency ranks first.
left join lateral (
    select
        1::numeric as rate,
        'infinity'::timestamptz as as_of
    where s.currency = a.base_currency
    union all
    select
        d.rate::numeric as rate,
        d.as_of
    from market.fx_rates as d
    where d.base_currency = s.currency and d.quote_currency = a.base_currency
    union all
    select
        1 / i.rate::numeric as rate,
        i.as_of
    from market.fx_rates as i
    where i.base_currency = a.base_currency and i.quote_currency = s.currency
    order by 2 desc
    limit 1
) as fx on true
where p.quantity <> 0 and a.kind <> 'system';

comment on view analytics.positions_valued is
'Every open position (quantity <> 0) of every user account, valued at the latest quote: signed quantity, cost '
'basis and average cost (account currency, fees included), price, FX rate (security currency to account '
'currency; NULL without one), market value, unrealized P&L and its percentage of |cost basis|, realized P&L. '
'NULL value and P&L where the security has no quote or no FX rate. No personal data: the user is its id.';
comment on column analytics.positions_valued.currency is 'The account''s base currency: every amount but price is in it.';
comment on column analytics.positions_valued.unrealized_return_pct is
'Unrealized P&L as a percentage of |cost basis| (4 decimals); NULL without a price or with zero cost.';
