create or replace view api.signals with (security_invoker = true) as
select
    g.id,
    g.strategy_id,
    s.symbol,
    g.signal_at,
    g.action,
    g.price,
    g.confidence,
    g.note,
    g.created_at
from strategy.signals as g
inner join market.securities as s on g.security_id = s.id;

comment on view api.signals is 'The signals you recorded for your signals strategies (api.record_signal).';
