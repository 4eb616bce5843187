create or replace view api.risk_metrics with (security_invoker = true) as
select
    m.account_id,
    m.as_of,
    m.window_days,
    m.observations,
    m.equity,
    b.symbol as benchmark_symbol,
    m.var_95,
    m.var_99,
    m.cvar_95,
    m.cvar_99,
    m.var_95_loss,
    m.var_99_loss,
    m.cvar_95_loss,
    m.cvar_99_loss,
    m.volatility,
    m.beta,
    m.correlation,
    m.tracking_error,
    m.information_ratio,
    m.computed_at
from risk.metrics as m
left join market.benchmarks as b on m.benchmark_id = b.id
where m.account_id is not null;

comment on view api.risk_metrics is
'Daily risk metrics of your accounts (the risk_metrics job): VaR and CVaR at 95 and 99 as a return and as a loss '
'on the day''s equity, volatility, beta, correlation, tracking error and information ratio against the benchmark. '
'Funds'' own rows are in api.fund_risk_metrics.';
