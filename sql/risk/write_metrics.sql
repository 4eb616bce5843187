-- depends: risk/metric_figures.sql
-- The statement behind the risk_metrics job (issue 15 §3, the seeds' risk_metrics): for every active
-- user account with a snapshot on p_date (or only p_account_id, the unit risk.record_metrics sets aside
-- when one account's figures fail), analytics.return_metrics of its flow-adjusted daily returns
-- (analytics.account_daily_returns) over the p_window_days days ending at p_date, 365 periods a year
-- (snapshots are calendar days); days without a return are left out. Against the account's benchmark
-- (else the platform default), over the days it has a return too (analytics.benchmark_daily_returns,
-- aligned by date): beta, correlation, tracking error, information ratio. VaR and CVaR as returns and
-- as a loss on the day's equity (-return x equity, 8 decimals). One statement over all accounts; a
-- rerun of the day replaces its rows.
create or replace function risk.write_metrics(p_date date, p_account_id uuid default null, p_window_days integer default 252)
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
        account_id, as_of, window_days, observations, equity, benchmark_id, var_95, var_99, cvar_95, cvar_99,
        var_95_loss, var_99_loss, cvar_95_loss, cvar_99_loss, volatility, beta, correlation, tracking_error,
        information_ratio
    )
    with accounts as (
        select
            a.id,
            s.equity,
            coalesce(a.benchmark_id, (select b.id from market.benchmarks as b where b.is_default)) as benchmark_id
        from trading.accounts as a
        inner join trading.account_snapshots as s on a.id = s.account_id and s.snapshot_date = p_date
        where a.kind <> 'system' and a.status = 'active' and (p_account_id is null or a.id = p_account_id)
    ),

    -- Each benchmark's returns once, however many accounts follow it.
    benchmark_returns as materialized (
        select u.benchmark_id, r.return_date, r.daily_return
        from (select distinct a.benchmark_id from accounts as a where a.benchmark_id is not null) as u
        cross join lateral analytics.benchmark_daily_returns(u.benchmark_id, v_from, p_date) as r
        where r.daily_return is not null
    ),

    series as (
        select
            a.id,
            pg_catalog.array_agg(d.daily_return order by d.snapshot_date) filter (where d.daily_return is not null) as r,
            pg_catalog.array_agg(d.daily_return order by d.snapshot_date)
                filter (where d.daily_return is not null and b.daily_return is not null) as rp,
            pg_catalog.array_agg(b.daily_return order by d.snapshot_date)
                filter (where d.daily_return is not null and b.daily_return is not null) as bp
        from accounts as a
        cross join lateral analytics.account_daily_returns(a.id, v_from, p_date) as d
        left join benchmark_returns as b on a.benchmark_id = b.benchmark_id and d.snapshot_date = b.return_date
        group by a.id
    )

    select
        a.id, p_date, p_window_days, x.observations, a.equity, a.benchmark_id, x.var_95, x.var_99, x.cvar_95,
        x.cvar_99, x.var_95_loss, x.var_99_loss, x.cvar_95_loss, x.cvar_99_loss, x.volatility, x.beta, x.correlation,
        x.tracking_error, x.information_ratio
    from accounts as a
    inner join series as s on a.id = s.id
    cross join lateral risk.metric_figures(s.r, s.rp, s.bp, a.equity) as x
    on conflict (account_id, as_of) do update
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

comment on function risk.write_metrics(date, uuid, integer) is
'Writes (or replaces) the risk.metrics row of p_date for every active user account with a snapshot that day, or '
'for p_account_id only: VaR and CVaR 95/99 (returns and losses on the day''s equity), volatility, and beta, '
'correlation, tracking error and information ratio against the account''s benchmark (else the default), from the '
'daily returns of the p_window_days days ending at p_date. Returns the number of rows written.';
