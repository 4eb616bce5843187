create or replace view api.positions with (security_invoker = true) as
select
    p.account_id,
    s.symbol,
    s.currency,
    p.quantity,
    p.cost_basis,
    case when p.quantity <> 0 then round(p.cost_basis / p.quantity, 8) end as avg_cost,
    q.price as market_price,
    q.quoted_at as priced_at,
    round(p.quantity * q.price * fx.rate, 8) as market_value,
    round(p.quantity * q.price * fx.rate, 8) - p.cost_basis as unrealized_pnl,
    p.realized_pnl,
    p.reserved_quantity,
    p.opened_at,
    p.updated_at
from trading.positions as p
inner join trading.accounts as a on p.account_id = a.id
inner join market.securities as s on p.security_id = s.id
left join market.quotes as q on p.security_id = q.security_id
-- The newest rate of the pair or its inverse, as market.convert reads it; inlined because the app role
-- reading this view may not execute market functions. The same currency ranks first.
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
) as fx on true;

comment on view api.positions is
'Your positions: signed quantity, cost basis and average cost (account currency, fees included), the latest quote, '
'market value and unrealized P&L in account currency (quote x FX rate - cost basis), realized P&L.';
