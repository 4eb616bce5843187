create or replace view api.fund_lots with (security_invoker = true) as
select
    l.id,
    l.fund_id,
    l.user_id,
    l.flow_id,
    l.original_shares,
    l.shares,
    l.high_water_mark,
    l.accrued_performance_fee,
    l.opened_at,
    l.crystallized_at
from fund.lots as l;

comment on view api.fund_lots is
'Your subscription lots: shares still open, the high-water mark above which each accrues a performance fee, the fee '
'accrued at the last strike.';
