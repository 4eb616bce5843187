-- Undo 0800: the snapshots' return accumulators. Cascade drops analytics.fund_performance (its lateral
-- select x.* reads every column); migrate re-creates it when 0800 is re-applied.
set local role tradebase_owner;

alter table fund.performance_snapshots
drop constraint performance_snapshots_return_stats_ordered_ck,
drop constraint performance_snapshots_return_stats_kept_ck,
drop column log_drawdown cascade,
drop column log_floor cascade,
drop column log_peak cascade,
drop column log_wealth cascade,
drop column return_max cascade,
drop column return_min cascade,
drop column return_sxx cascade,
drop column return_sum cascade,
drop column return_count cascade;

comment on column fund.performance_snapshots.volatility is
'Statistic: annualised volatility of the daily returns so far (analytics.return_metrics, 252 days).';
comment on column fund.performance_snapshots.sharpe_ratio is
'Statistic: Sharpe ratio of the daily returns so far (analytics.return_metrics).';
comment on column fund.performance_snapshots.max_drawdown is
'Statistic: maximum drawdown of NAV per share so far (a negative number).';
