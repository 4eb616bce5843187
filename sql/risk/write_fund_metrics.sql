-- depends: risk/store_metrics.sql
-- The fund step of the risk_metrics job (issue 17, DESIGN §5 Funds; docs/funds.md "Risk metrics"): for
-- every fund struck on p_date (or only p_fund_id, the unit risk.record_fund_metrics sets aside when one
-- fund's figures fail), analytics.return_metrics of its daily NAV-per-share returns
-- (fund.performance_snapshots.daily_return: flows and fees paid do not count as performance, the
-- management fee accrued does) over the p_window_days days ending at p_date, 365 periods a year (the
-- strike_funds job strikes every calendar day, as account snapshots are taken). Against the fund's
-- benchmark (else the platform default), over the days the benchmark has a return too
-- (analytics.benchmark_daily_returns, aligned by date): beta, correlation, tracking error, information
-- ratio. VaR and CVaR as returns and as a loss on that day's NAV (-return x NAV, 8 decimals). One
-- statement over all funds; a rerun of the day replaces their rows (risk.store_metrics).
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

    select risk.store_metrics(p_date, p_window_days, coalesce(pg_catalog.array_agg(
        row(null, f.id, f.nav, f.benchmark_id, s.r, s.rp, s.bp)::risk.metrics_input
    ), '{}'))
    into v_count
    from funds as f
    left join series as s on f.id = s.id;
    return v_count;
end
$$;

comment on function risk.write_fund_metrics(date, uuid, integer) is
'Writes (or replaces) the risk.metrics row of p_date for every fund struck that day, or for p_fund_id only: VaR and '
'CVaR 95/99 of its daily NAV-per-share returns (returns, and losses on that day''s NAV), volatility, and beta, '
'correlation, tracking error and information ratio against the fund''s benchmark (else the default), over the '
'p_window_days days ending at p_date (365 periods a year). Returns the number of rows written.';
