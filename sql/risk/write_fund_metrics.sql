-- depends: risk/metric_figures.sql
-- The fund step of the risk_metrics job (issue 17, DESIGN §5 Funds; docs/funds.md "Risk metrics"): for
-- every fund struck on p_date (or only p_fund_id, the unit risk.record_fund_metrics sets aside when one
-- fund's figures fail), analytics.return_metrics of its daily NAV-per-share returns
-- (fund.performance_snapshots.daily_return: flows and fees paid do not count as performance, the
-- management fee accrued does) over the p_window_days days ending at p_date, 365 periods a year (the
-- strike_funds job strikes every calendar day, as account snapshots are taken). Against the fund's
-- benchmark (else the platform default), over the days the benchmark has a return too
-- (analytics.benchmark_daily_returns, aligned by date): beta, correlation, tracking error, information
-- ratio. VaR and CVaR as returns and as a loss on that day's NAV (-return x NAV, 8 decimals). One
-- statement over all funds; a rerun of the day replaces their rows (risk.metrics metrics_fund_day_uk).
create or replace function risk.write_fund_metrics(
    p_date date,
    p_fund_id uuid default null,
    p_window_days integer default 252
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_from date := p_date - (p_window_days - 1);
    v_count integer;
begin
    insert into risk.metrics as m (
        fund_id, as_of, window_days, observations, equity, benchmark_id, var_95, var_99, cvar_95, cvar_99,
        var_95_loss, var_99_loss, cvar_95_loss, cvar_99_loss, volatility, beta, correlation, tracking_error,
        information_ratio
    )
    with funds as (
        select
            f.id,
            s.nav,
            coalesce(f.benchmark_id, (select b.id from market.benchmarks as b where b.is_default)) as benchmark_id
        from fund.funds as f
        inner join fund.performance_snapshots as s on f.id = s.fund_id and s.snapshot_date = p_date
        where p_fund_id is null or f.id = p_fund_id
    ),

    -- Each benchmark's returns once, however many funds follow it.
    benchmark_returns as materialized (
        select u.benchmark_id, r.return_date, r.daily_return
        from (select distinct f.benchmark_id from funds as f where f.benchmark_id is not null) as u
        cross join lateral analytics.benchmark_daily_returns(u.benchmark_id, v_from, p_date) as r
        where r.daily_return is not null
    ),

    series as (
        select
            f.id,
            pg_catalog.array_agg(s.daily_return order by s.snapshot_date) as r,
            pg_catalog.array_agg(s.daily_return order by s.snapshot_date) filter (where b.daily_return is not null)
                as rp,
            pg_catalog.array_agg(b.daily_return order by s.snapshot_date) filter (where b.daily_return is not null)
                as bp
        from funds as f
        inner join fund.performance_snapshots as s
            on
                f.id = s.fund_id
                and s.snapshot_date between v_from and p_date
                and s.daily_return is not null
        left join benchmark_returns as b on f.benchmark_id = b.benchmark_id and s.snapshot_date = b.return_date
        group by f.id
    )

    select
        f.id, p_date, p_window_days, x.observations, f.nav, f.benchmark_id, x.var_95, x.var_99, x.cvar_95,
        x.cvar_99, x.var_95_loss, x.var_99_loss, x.cvar_95_loss, x.cvar_99_loss, x.volatility, x.beta, x.correlation,
        x.tracking_error, x.information_ratio
    from funds as f
    left join series as s on f.id = s.id
    cross join lateral risk.metric_figures(s.r, s.rp, s.bp, f.nav) as x
    on conflict (fund_id, as_of) do update
        set (
            window_days, observations, equity, benchmark_id, var_95, var_99, cvar_95, cvar_99, var_95_loss, var_99_loss,
            cvar_95_loss, cvar_99_loss, volatility, beta, correlation, tracking_error, information_ratio, computed_at
        ) = (
            excluded.window_days, excluded.observations, excluded.equity, excluded.benchmark_id, excluded.var_95,
            excluded.var_99, excluded.cvar_95, excluded.cvar_99, excluded.var_95_loss, excluded.var_99_loss,
            excluded.cvar_95_loss, excluded.cvar_99_loss, excluded.volatility, excluded.beta, excluded.correlation,
            excluded.tracking_error, excluded.information_ratio, excluded.computed_at
        );
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

comment on function risk.write_fund_metrics(date, uuid, integer) is
'Writes (or replaces) the risk.metrics row of p_date for every fund struck that day, or for p_fund_id only: VaR and '
'CVaR 95/99 of its daily NAV-per-share returns (returns, and losses on that day''s NAV), volatility, and beta, '
'correlation, tracking error and information ratio against the fund''s benchmark (else the default), over the '
'p_window_days days ending at p_date (365 periods a year). Returns the number of rows written.';
