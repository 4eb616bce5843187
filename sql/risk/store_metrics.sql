-- depends: risk/metric_figures.sql
-- Writes (or, on a rerun of the day, replaces) the risk.metrics row of p_date of each subject handed over by
-- its kind's writer (risk.write_metrics for accounts, risk.write_fund_metrics for funds): the figures of
-- risk.metric_figures from its series, its value and benchmark. One statement for both kinds (the unique key
-- metrics_subject_day_uk covers accounts and funds alike). Returns the number of rows written.
create or replace function risk.store_metrics(p_date date, p_window_days integer, p_subjects risk.metrics_input[])
returns integer
language sql
volatile
set search_path = ''
as $$
    with written as (
        insert into risk.metrics as m (
            account_id, fund_id, as_of, window_days, observations, equity, benchmark_id, var_95, var_99, cvar_95,
            cvar_99, var_95_loss, var_99_loss, cvar_95_loss, cvar_99_loss, volatility, beta, correlation,
            tracking_error, information_ratio
        )
        select
            s.account_id, s.fund_id, p_date, p_window_days, x.observations, s.value, s.benchmark_id, x.var_95,
            x.var_99, x.cvar_95, x.cvar_99, x.var_95_loss, x.var_99_loss, x.cvar_95_loss, x.cvar_99_loss,
            x.volatility, x.beta, x.correlation, x.tracking_error, x.information_ratio
        from pg_catalog.unnest(p_subjects) as s
        cross join lateral risk.metric_figures(s.returns, s.paired_returns, s.paired_benchmark, s.value) as x
        on conflict (account_id, fund_id, as_of) do update
            set (
                window_days, observations, equity, benchmark_id, var_95, var_99, cvar_95, cvar_99, var_95_loss,
                var_99_loss, cvar_95_loss, cvar_99_loss, volatility, beta, correlation, tracking_error,
                information_ratio, computed_at
            ) = (
                excluded.window_days, excluded.observations, excluded.equity, excluded.benchmark_id,
                excluded.var_95, excluded.var_99, excluded.cvar_95, excluded.cvar_99, excluded.var_95_loss,
                excluded.var_99_loss, excluded.cvar_95_loss, excluded.cvar_99_loss, excluded.volatility,
                excluded.beta, excluded.correlation, excluded.tracking_error, excluded.information_ratio,
                excluded.computed_at
            )
        returning 1
    )
    select count(*)::integer from written
$$;

comment on function risk.store_metrics(date, integer, risk.metrics_input[]) is
'Writes (or replaces) the risk.metrics row of p_date with window p_window_days of each subject (an account or a '
'fund) in p_subjects, from its series (risk.metric_figures); returns the number of rows written.';
