-- depends: 0001_foundation
-- The row of analytics.return_metrics and of its aggregate (issue 15 §1), declared once as a type:
-- the function, the aggregate's final function and every caller read the same columns, and a new
-- figure is a change of state (this type), not a silent change of an OUT parameter list.
set local role tradebase_owner;

create type analytics.return_metrics_row as (
    observations integer,
    cumulative_return double precision,
    annual_return double precision,
    annual_volatility double precision,
    sharpe_ratio double precision,
    downside_risk double precision,
    sortino_ratio double precision,
    max_drawdown double precision,
    calmar_ratio double precision,
    omega_ratio double precision,
    tail_ratio double precision,
    stability double precision,
    var_95 double precision,
    var_99 double precision,
    cvar_95 double precision,
    cvar_99 double precision,
    skew double precision,
    kurtosis double precision,
    best_period double precision,
    worst_period double precision,
    beta double precision,
    alpha double precision,
    correlation double precision,
    tracking_error double precision,
    information_ratio double precision
);
comment on type analytics.return_metrics_row is
'Statistics of a series of simple periodic returns (analytics.return_metrics, analytics.return_metrics_agg): '
'the conventions of empyrical-reloaded, NULL where a figure is undefined (docs/analytics.md, Return metrics).';
