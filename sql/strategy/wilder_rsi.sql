-- depends: strategy/wilder_step.sql strategy/wilder_rsi_final.sql
-- Wilder's RSI as TA-Lib computes it, as an aggregate over close-to-close changes, used as a running window:
--   strategy.wilder_rsi(close - previous close, period) over (order by bar)
-- With the frame's start fixed, PostgreSQL advances one state per row (O(n) in all), so the indicator stays
-- a window function of the bars; the first row's null change is skipped (the transition is strict).
-- The SQL linter's postgres dialect cannot parse CREATE AGGREGATE: its parse error is waived on the first line.
create or replace aggregate strategy.wilder_rsi(double precision, integer) ( -- noqa: PRS
    sfunc = strategy.wilder_step,
    stype = double precision [],
    initcond = '{0,0,0,0}',
    finalfunc = strategy.wilder_rsi_final
);

comment on aggregate strategy.wilder_rsi(double precision, integer) is
'Wilder''s RSI (TA-Lib''s) of the close-to-close changes aggregated, in the window''s order; null before the '
'second argument''s number of changes.';
