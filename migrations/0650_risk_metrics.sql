-- depends: 0640_account_benchmarks
-- Daily risk metrics per account (issue 15 §3, the seeds' risk_metrics): the job risk_metrics writes one
-- row per active account and day from the account's flow-adjusted daily returns over a trailing window
-- (risk.write_metrics, docs/analytics.md "Account performance"). Fund accounts are accounts, so funds
-- reuse the table. A rerun of a day replaces its rows (the primary key).
set local role tradebase_owner;

create table risk.metrics (
    account_id uuid not null,
    as_of date not null,
    window_days integer not null,
    observations integer not null,
    equity app.money not null,
    benchmark_id uuid,
    var_95 double precision,
    var_99 double precision,
    cvar_95 double precision,
    cvar_99 double precision,
    var_95_loss app.money,
    var_99_loss app.money,
    cvar_95_loss app.money,
    cvar_99_loss app.money,
    volatility double precision,
    beta double precision,
    correlation double precision,
    tracking_error double precision,
    information_ratio double precision,
    computed_at timestamptz not null default now(),
    constraint metrics_pk primary key (account_id, as_of),
    constraint metrics_account_fk foreign key (account_id) references trading.accounts (id),
    constraint metrics_benchmark_fk foreign key (benchmark_id) references market.benchmarks (id),
    constraint metrics_window_days_positive_ck check (window_days between 2 and 3660),
    constraint metrics_observations_within_window_ck check (observations between 0 and window_days),
    constraint metrics_correlation_within_one_ck check (correlation between -1 and 1)
);
comment on table risk.metrics is
'Daily risk metrics of each active account (the seeds'' risk_metrics), from its flow-adjusted daily returns over '
'the window_days days ending at as_of; written by the risk_metrics job (risk.write_metrics), a rerun replaces.';
comment on column risk.metrics.as_of is 'The UTC day the metrics end at (its snapshot gives the equity).';
comment on column risk.metrics.window_days is 'Calendar days of daily returns the figures cover, as_of included.';
comment on column risk.metrics.observations is 'Daily returns in the window (days without a return are left out).';
comment on column risk.metrics.equity is 'The account''s equity at the end of as_of (its snapshot).';
comment on column risk.metrics.benchmark_id is
'The benchmark of the beta, correlation, tracking error and information ratio: the account''s, else the default.';
comment on column risk.metrics.var_95 is
'Statistic: value at risk at the 95 level, the 0.05 quantile of the daily returns (a signed return; negative is a loss).';
comment on column risk.metrics.var_99 is 'Statistic: value at risk at the 99 level, the 0.01 quantile of the daily returns.';
comment on column risk.metrics.cvar_95 is 'Statistic: conditional VaR at the 95 level, the mean of the returns at or below var_95.';
comment on column risk.metrics.cvar_99 is 'Statistic: conditional VaR at the 99 level, the mean of the returns at or below var_99.';
comment on column risk.metrics.var_95_loss is
'var_95 as a loss in the account''s currency on the day''s equity: -var_95 x equity (negative: a gain).';
comment on column risk.metrics.var_99_loss is '-var_99 x equity in the account''s currency.';
comment on column risk.metrics.cvar_95_loss is '-cvar_95 x equity in the account''s currency.';
comment on column risk.metrics.cvar_99_loss is '-cvar_99 x equity in the account''s currency.';
comment on column risk.metrics.volatility is 'Statistic: annualised volatility, std of the daily returns x sqrt(365).';
comment on column risk.metrics.beta is 'Statistic: beta to the benchmark (population covariance / variance).';
comment on column risk.metrics.correlation is 'Statistic: Pearson correlation of the daily returns with the benchmark''s.';
comment on column risk.metrics.tracking_error is
'Statistic: annualised std of the active returns (account - benchmark) x sqrt(365).';
comment on column risk.metrics.information_ratio is
'Statistic: mean active return / its std x sqrt(365).';
create index metrics_benchmark_ix on risk.metrics (benchmark_id);
create index metrics_as_of_ix on risk.metrics (as_of);
alter table risk.metrics enable row level security;

insert into ops.jobs (name, period, schedule, function_name, description) values
(
    'risk_metrics', 'day', '20 0 * * *', 'ops.job_risk_metrics',
    'Risk metrics of every active account for the previous UTC day (risk.write_metrics), after its snapshot.'
);
