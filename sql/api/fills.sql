create or replace view api.fills with (security_invoker = true) as
select
    f.id,
    f.order_id,
    f.account_id,
    s.symbol,
    f.side,
    f.quantity,
    f.price,
    s.currency as price_currency,
    f.fx_rate,
    f.notional,
    f.commission,
    f.journal_id,
    f.filled_at
from trading.fills as f
inner join market.securities as s on f.security_id = s.id;

comment on view api.fills is
'Executions of your orders: price in the security''s currency, FX rate, notional and commission in account currency.';
