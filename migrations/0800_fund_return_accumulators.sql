-- depends: 0720_funds
-- Running return accumulators on every fund snapshot (issue 17's cost limit, docs/funds.md "The strike"):
-- the snapshot's volatility, Sharpe ratio and max drawdown come from the previous snapshot's accumulators
-- in O(1) (fund.next_return_stats) instead of analytics.return_metrics over the fund's whole history, and
-- equal what that function gives over the same returns. The snapshots struck before this migration get
-- theirs by replaying each fund's daily returns in date order with the same recurrence.
set local role tradebase_owner;

alter table fund.performance_snapshots
add column return_count integer,
add column return_sum double precision,
add column return_sxx double precision,
add column return_min double precision,
add column return_max double precision,
add column log_wealth double precision,
add column log_peak double precision,
add column log_floor double precision,
add column log_drawdown double precision;

comment on column fund.performance_snapshots.return_count is
'Statistic accumulator: how many daily returns the fund has up to this snapshot, this one''s included (0 at its first strike, which has none).';
comment on column fund.performance_snapshots.return_sum is
'Statistic accumulator: the sum of those daily returns (NULL while there are none).';
comment on column fund.performance_snapshots.return_sxx is
'Statistic accumulator: the sum of their squared deviations from their mean, by the Youngs-Cramer recurrence that regr_sxx uses (NULL while there are none).';
comment on column fund.performance_snapshots.return_min is
'Statistic accumulator: the smallest daily return so far (a constant series has volatility 0).';
comment on column fund.performance_snapshots.return_max is
'Statistic accumulator: the largest daily return so far.';
comment on column fund.performance_snapshots.log_wealth is
'Statistic accumulator: the sum of ln(1 + r) over the returns so far less that of the first return, as analytics.return_metrics keeps the log wealth.';
comment on column fund.performance_snapshots.log_peak is
'Statistic accumulator: the running peak of log_wealth, from the starting wealth (minus ln(1 + first return)).';
comment on column fund.performance_snapshots.log_floor is
'Statistic accumulator: the log_wealth below which a deeper drawdown starts (the last low, or the peak plus the drawdown).';
comment on column fund.performance_snapshots.log_drawdown is
'Statistic accumulator: the deepest fall of log_wealth below its peak so far (max_drawdown = exp(log_drawdown) - 1).';

comment on column fund.performance_snapshots.volatility is
'Statistic: annualised volatility of the daily returns so far (252 days), as analytics.return_metrics gives it, from the accumulators below.';
comment on column fund.performance_snapshots.sharpe_ratio is
'Statistic: Sharpe ratio of the daily returns so far, as analytics.return_metrics gives it, from the accumulators below.';
comment on column fund.performance_snapshots.max_drawdown is
'Statistic: maximum drawdown of NAV per share so far (a negative number, 0 when none; NULL before the first return), from the accumulators below.';

-- The snapshots struck before: each fund's returns replayed in date order (one step per snapshot, every
-- fund in each step, each step an index probe per fund), with the recurrence of fund.next_return_stats (a
-- migration calls no sql/ function).
create temporary table snapshot_returns as
select
    s.fund_id,
    s.snapshot_date,
    s.daily_return as r,
    row_number() over (partition by s.fund_id order by s.snapshot_date)::integer as i
from fund.performance_snapshots as s;
create unique index on snapshot_returns (fund_id, i);
analyze snapshot_returns;

with recursive replay as (
    select distinct
        o.fund_id,
        null::date as snapshot_date,
        0 as i,
        0 as n,
        null::double precision as sx,
        null::double precision as sxx,
        null::double precision as lo,
        null::double precision as hi,
        null::double precision as lw,
        null::double precision as peak,
        null::double precision as fl,
        null::double precision as dd
    from snapshot_returns as o
    union all
    select
        p.fund_id,
        x.snapshot_date,
        x.i,
        p.n + case when x.r is null then 0 else 1 end as n,
        case when x.r is null then p.sx else coalesce(p.sx, 0) + x.r end as sx,
        case
            when x.r is null then p.sxx
            when p.n = 0 then 0
            else
                p.sxx + (x.r * (p.n + 1) - (p.sx + x.r)) * (x.r * (p.n + 1) - (p.sx + x.r))
                * (1.0::double precision / ((p.n + 1)::double precision * p.n))
        end as sxx,
        least(p.lo, x.r) as lo,
        greatest(p.hi, x.r) as hi,
        case when x.r is null then p.lw else y.lw end as lw,
        case when x.r is null then p.peak when y.lw > y.peak then y.lw else y.peak end as peak,
        case
            when x.r is null then p.fl
            when y.lw > y.peak then y.lw + y.dd
            when y.lw < y.fl then y.lw
            else y.fl
        end as fl,
        case
            when x.r is null then p.dd
            when y.lw > y.peak then y.dd
            when y.lw < y.fl then y.lw - y.peak
            else y.dd
        end as dd
    from replay as p
    inner join snapshot_returns as x on p.fund_id = x.fund_id and p.i + 1 = x.i
    inner join lateral ( -- noqa: ST05
        select
            coalesce(p.lw, -pg_catalog.ln(1 + x.r)) + pg_catalog.ln(1 + x.r) as lw,
            coalesce(p.peak, -pg_catalog.ln(1 + x.r)) as peak,
            coalesce(p.fl, -pg_catalog.ln(1 + x.r)) as fl,
            coalesce(p.dd, 0) as dd
    ) as y on true
)

update fund.performance_snapshots as s
set
    return_count = r.n,
    return_sum = r.sx,
    return_sxx = r.sxx,
    return_min = r.lo,
    return_max = r.hi,
    log_wealth = r.lw,
    log_peak = r.peak,
    log_floor = r.fl,
    log_drawdown = r.dd
from replay as r
where r.i > 0 and s.fund_id = r.fund_id and s.snapshot_date = r.snapshot_date;

drop table snapshot_returns;

alter table fund.performance_snapshots alter column return_count set not null;

alter table fund.performance_snapshots
add constraint performance_snapshots_return_stats_kept_ck check (
    (return_count = 0) = (daily_return is null)
    and num_nulls(
        return_sum, return_sxx, return_min, return_max, log_wealth, log_peak, log_floor, log_drawdown
    ) = case when return_count = 0 then 8 else 0 end
),
add constraint performance_snapshots_return_stats_ordered_ck check (
    return_count >= 0
    and return_sxx >= 0.0
    and return_min <= return_max
    and log_floor <= log_wealth
    and log_wealth <= log_peak
    and log_drawdown <= 0.0
);
