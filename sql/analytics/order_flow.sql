-- Order flow per UTC day, security, side, order type and source (manual, copy, auto_invest, strategy,
-- fund): how many orders arrived, how they ended, and what they asked for and got. Counted from
-- trading.orders (one row per order; fills are summed on the order as filled_quantity and
-- average_fill_price), so it reads no fill or posting.
create or replace view analytics.order_flow as
select
    (o.created_at at time zone 'UTC')::date as order_date,
    s.symbol,
    s.asset_type,
    s.currency,
    o.side,
    o.order_type,
    o.source,
    pg_catalog.count(*)::integer as orders,
    pg_catalog.count(distinct o.account_id)::integer as accounts,
    pg_catalog.count(*) filter (where o.status in ('new', 'partially_filled'))::integer as open_orders,
    pg_catalog.count(*) filter (where o.status = 'filled')::integer as filled_orders,
    pg_catalog.count(*) filter (where o.status = 'canceled')::integer as canceled_orders,
    pg_catalog.count(*) filter (where o.status = 'rejected')::integer as rejected_orders,
    pg_catalog.count(*) filter (where o.status = 'expired')::integer as expired_orders,
    pg_catalog.count(*) filter (where o.filled_quantity > 0)::integer as orders_with_fills,
    pg_catalog.sum(o.quantity) as quantity,
    pg_catalog.sum(o.filled_quantity) as filled_quantity,
    pg_catalog.round(pg_catalog.sum(o.filled_quantity * o.average_fill_price), 8) as filled_value,
    pg_catalog.sum(o.fees) as fees
from trading.orders as o
inner join market.securities as s on o.security_id = s.id
group by (o.created_at at time zone 'UTC')::date, s.symbol, s.asset_type, s.currency, o.side, o.order_type, o.source;

comment on view analytics.order_flow is
'Orders per UTC day of placement, symbol, side, order type and source: how many, from how many accounts, how '
'many are open, filled, canceled, rejected or expired and how many had fills, quantity asked and filled, filled '
'value at the average fill price (security currency) and fees (each order''s account currency).';
comment on column analytics.order_flow.currency is 'The security''s currency: filled_value is in it.';
comment on column analytics.order_flow.orders_with_fills is
'Orders with any fill, whatever their status (a canceled order may be partly filled).';
comment on column analytics.order_flow.filled_value is
'Sum of filled quantity x average fill price (security currency, before commission).';
comment on column analytics.order_flow.fees is
'Sum of the orders'' fees, each in its account''s currency (accounts of other currencies add up as numbers).';
