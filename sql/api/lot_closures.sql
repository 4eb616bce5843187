create or replace view api.lot_closures with (security_invoker = true) as
select
    c.id,
    c.account_id,
    s.symbol,
    c.lot_id,
    c.fill_id,
    c.quantity,
    c.cost_basis,
    c.proceeds,
    c.realized_pnl,
    c.closed_at
from trading.lot_closures as c
inner join market.securities as s on c.security_id = s.id;

comment on view api.lot_closures is
'Realized P&L of your positions, per lot and closing fill: units, cost, proceeds net of fees, P&L.';
