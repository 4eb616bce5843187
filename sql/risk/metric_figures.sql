-- The figures of one risk.metrics row, the same for an account (risk.write_metrics) and a fund
-- (risk.write_fund_metrics): analytics.return_metrics of the subject's daily returns p_returns (365
-- periods a year: daily figures are calendar days) for VaR, CVaR and volatility, and of the days it shares
-- with its benchmark (p_paired_returns against p_paired_benchmark) for beta, correlation, tracking error and
-- information ratio; the losses are -VaR (or -CVaR) × p_value, the subject's equity or NAV that day, to 8
-- places. No returns: observations 0 and no figures. SQL without strict or a SET clause, so that it is
-- inlined into the writers' statements (one return_metrics call per series, not one per figure).
create or replace function risk.metric_figures(
    p_returns double precision[],
    p_paired_returns double precision[],
    p_paired_benchmark double precision[],
    p_value numeric
)
returns table (
    observations integer,
    var_95 double precision,
    var_99 double precision,
    cvar_95 double precision,
    cvar_99 double precision,
    var_95_loss numeric,
    var_99_loss numeric,
    cvar_95_loss numeric,
    cvar_99_loss numeric,
    volatility double precision,
    beta double precision,
    correlation double precision,
    tracking_error double precision,
    information_ratio double precision
)
language sql
immutable
as $$
    select
        coalesce(x.observations, 0),
        x.var_95,
        x.var_99,
        x.cvar_95,
        x.cvar_99,
        pg_catalog.round(-x.var_95::numeric * p_value, 8),
        pg_catalog.round(-x.var_99::numeric * p_value, 8),
        pg_catalog.round(-x.cvar_95::numeric * p_value, 8),
        pg_catalog.round(-x.cvar_99::numeric * p_value, 8),
        x.annual_volatility,
        y.beta,
        y.correlation,
        y.tracking_error,
        y.information_ratio
    from (select 1) as one
    left join lateral analytics.return_metrics(p_returns, null, 365) as x on p_returns is not null
    left join lateral analytics.return_metrics(p_paired_returns, p_paired_benchmark, 365) as y
        on p_paired_benchmark is not null
$$;

comment on function risk.metric_figures(double precision[], double precision[], double precision[], numeric) is
'The figures of a risk.metrics row from a subject''s daily returns, those it shares with its benchmark and its value '
'that day: observations, VaR and CVaR 95/99 as returns and as losses on p_value, volatility, beta, correlation, '
'tracking error, information ratio (analytics.return_metrics, 365 periods a year).';
