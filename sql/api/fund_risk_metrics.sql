-- A fund's own daily risk metrics (issue 17, docs/funds.md "Risk metrics"): the risk_metrics job's fund
-- rows, from the fund's daily NAV-per-share returns, for every fund the user may see (RLS: every active
-- fund, and the funds they manage or hold).
create or replace view api.fund_risk_metrics with (security_invoker = true) as
select
    m.fund_id,
    m.as_of,
    m.window_days,
    m.observations,
    m.equity as nav,
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
where m.fund_id is not null;

comment on view api.fund_risk_metrics is
'Daily risk metrics of the funds you may see (every active fund), from their NAV-per-share returns: VaR and CVaR at '
'95 and 99 as a return and as a loss on the day''s NAV, volatility, beta, correlation, tracking error and '
'information ratio against the fund''s benchmark (else the default).';
