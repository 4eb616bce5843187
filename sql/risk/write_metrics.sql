-- depends: risk/store_metrics.sql
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

    select risk.store_metrics(p_date, p_window_days, coalesce(pg_catalog.array_agg(
        row(a.id, null, a.equity, a.benchmark_id, s.r, s.rp, s.bp)::risk.metrics_input
    ), '{}'))
    into v_count
    from accounts as a
    inner join series as s on a.id = s.id;
    return v_count;
end
$$;

comment on function risk.write_metrics(date, uuid, integer) is
'Writes (or replaces) the risk.metrics row of p_date for every active user account with a snapshot that day, or '
'for p_account_id only: VaR and CVaR 95/99 (returns and losses on the day''s equity), volatility, and beta, '
'correlation, tracking error and information ratio against the account''s benchmark (else the default), from the '
'daily returns of the p_window_days days ending at p_date. Returns the number of rows written.';
