create or replace view api.fund_lots with (security_invoker = true) as
select
    l.id,
    l.fund_id,
    l.user_id,
    l.flow_id,
    l.original_shares,
    l.shares,
    l.high_water_mark,
    -- The fee at the last strike's NAV per share, not stored: fund.lot_performance_fee's formula, written
    -- out because the app role executes no function outside api and app (ops.catalog_lint).
    greatest(round((f.nav_per_share - l.high_water_mark) * l.shares * f.performance_fee_rate, 8), 0)::app.money
        as accrued_performance_fee,
    l.opened_at,
    l.crystallized_at
from fund.lots as l
-- An investor with a lot holds in its fund, so sees the fund row in any status (funds_read).
inner join fund.funds as f on l.fund_id = f.id;

comment on view api.fund_lots is
'Your subscription lots: shares still open, the high-water mark above which each accrues a performance fee, the fee '
'accrued at the last strike''s NAV per share.';
