create or replace view api.sweeps with (security_invoker = true) as
select
    w.id,
    w.strategy_id,
    w.strategy_type,
    w.parameters,
    w.grid,
    w.rank_by,
    s.symbol,
    w.timeframe,
    w.start_date,
    w.end_date,
    w.initial_capital,
    w.commission,
    w.bars,
    w.first_bar_at,
    w.last_bar_at,
    w.combinations,
    w.skipped,
    w.created_at
from strategy.sweeps as w
inner join market.securities as s on w.security_id = s.id;

comment on view api.sweeps is
'Your parameter sweeps (api.sweep_backtest): the strategy, bars and grid, and the combinations skipped with why.';
