-- A fund's return statistics after one more daily return, from the running accumulators of its previous
-- snapshot (fund.performance_snapshots, migration 0800) in O(1): what analytics.return_metrics(returns, null,
-- 252) gives for annual_volatility, sharpe_ratio and max_drawdown over all the fund's daily returns so far,
-- without reading them. The accumulators repeat return_metrics' own arithmetic step by step, so the figures
-- are the same to the last bit or nearly (tests/python/test_funds.py holds them to 1e-9 relative):
-- - return_count, return_sum (Σ r) and return_sxx (Σ (r − mean)²) follow the Youngs-Cramer recurrence
--   that the regr_avgx and regr_sxx aggregates use: sxx += (r·n − Σr)² / (n·(n − 1)) with the new n and Σr;
--   mean = Σr / n, std = √(sxx / (n − 1)) (sample), volatility = std·√252, Sharpe = mean / std·√252;
-- - return_min and return_max: a constant series has volatility 0 and no Sharpe ratio (return_metrics'
--   rule, not the residue of rounding);
-- - log_wealth, log_peak, log_floor and log_drawdown: the log wealth Σ ln(1 + r) less the first return's
--   ln(1 + r₁) (so it starts at 0 after the first return and keeps its digits), its running peak from the
--   starting wealth (ln 1 − ln(1 + r₁)), the level below which a deeper drawdown starts, and the deepest
--   fall below the peak; max drawdown = exp(log_drawdown) − 1 (a negative number, 0 when none).
-- A NULL p_return (a fund's first strike has no return) leaves every accumulator as it was; with no
-- return yet (p_count 0 or NULL) every figure is NULL, as return_metrics gives for an empty series.
-- An inlinable SQL function (no SET clause, one SELECT): fund.strike_quiet joins it laterally per fund.
-- Each derived table ends in offset 0 so the planner keeps it a step of its own: flattened, every use of a
-- column repeats the expression that computes it (ln, sqrt and the Youngs-Cramer step several times over:
-- about 42,000 instructions a fund in fund.strike_quiet, 23,000 with the steps kept apart).
create or replace function fund.next_return_stats(
    p_count integer,
    p_sum double precision,
    p_sxx double precision,
    p_min double precision,
    p_max double precision,
    p_log_wealth double precision,
    p_log_peak double precision,
    p_log_floor double precision,
    p_log_drawdown double precision,
    p_return double precision
)
returns table (
    return_count integer,
    return_sum double precision,
    return_sxx double precision,
    return_min double precision,
    return_max double precision,
    log_wealth double precision,
    log_peak double precision,
    log_floor double precision,
    log_drawdown double precision,
    volatility double precision,
    sharpe_ratio double precision,
    max_drawdown double precision
)
language sql
immutable
parallel safe
as $$
    select
        d.return_count,
        d.return_sum,
        d.return_sxx,
        d.return_min,
        d.return_max,
        d.log_wealth,
        d.log_peak,
        d.log_floor,
        d.log_drawdown,
        case when d.return_count >= 2 then d.std * pg_catalog.sqrt(252::double precision) end as volatility,
        case
            when d.return_count >= 2 and d.std > 0
                then d.return_sum / d.return_count / d.std * pg_catalog.sqrt(252::double precision)
        end as sharpe_ratio,
        case
            when d.return_count >= 1 and d.log_drawdown < -708 then -1
            when d.return_count >= 1 then pg_catalog.exp(d.log_drawdown) - 1
        end as max_drawdown
    from (
        select
            w.*,
            case
                when w.return_count < 2 then null
                when w.return_max = w.return_min then 0
                else pg_catalog.sqrt(w.return_sxx / (w.return_count - 1))
            end as std
        from (
            -- The peak and the drawdown: a new high moves the peak (and the floor to peak + drawdown);
            -- a fall below the floor deepens the drawdown (and the floor to the new low).
            select
                v.return_count,
                v.return_sum,
                v.return_sxx,
                v.return_min,
                v.return_max,
                v.log_wealth,
                case when v.log_wealth > v.peak_before then v.log_wealth else v.peak_before end as log_peak,
                case
                    when v.log_wealth > v.peak_before then v.log_wealth + v.drawdown_before
                    when v.log_wealth < v.floor_before then v.log_wealth
                    else v.floor_before
                end as log_floor,
                case
                    when v.log_wealth > v.peak_before then v.drawdown_before
                    when v.log_wealth < v.floor_before then v.log_wealth - v.peak_before
                    else v.drawdown_before
                end as log_drawdown
            from (
                select
                    u.return_count,
                    u.return_sum,
                    case
                        when u.count_before > 0
                            then u.sxx_before + u.dev * u.dev * (
                                1.0::double precision / (u.return_count::double precision * u.count_before)
                            )
                        else 0
                    end as return_sxx,
                    least(p_min, u.r) as return_min,
                    greatest(p_max, u.r) as return_max,
                    u.wealth_before + u.l as log_wealth,
                    u.peak_before,
                    u.floor_before,
                    u.drawdown_before
                from (
                    -- One more return: Youngs-Cramer's deviation r·n − Σr with the new n and Σr.
                    select
                        t.*,
                        t.r * t.return_count - t.return_sum as dev
                    from (
                        select
                            s.r,
                            s.count_before,
                            s.sxx_before,
                            s.count_before + 1 as return_count,
                            coalesce(p_sum, 0) + s.r as return_sum,
                            pg_catalog.ln(1 + s.r) as l,
                            coalesce(p_log_wealth, -pg_catalog.ln(1 + s.r)) as wealth_before,
                            coalesce(p_log_peak, -pg_catalog.ln(1 + s.r)) as peak_before,
                            coalesce(p_log_floor, -pg_catalog.ln(1 + s.r)) as floor_before,
                            coalesce(p_log_drawdown, 0) as drawdown_before
                        from (
                            select
                                p_return as r,
                                coalesce(p_count, 0) as count_before,
                                p_sxx as sxx_before
                        ) as s
                    offset 0
                    ) as t
                    offset 0
                ) as u
                where u.r is not null
                -- No return: every accumulator as it was.
                union all
                select
                    coalesce(p_count, 0), p_sum, p_sxx, p_min, p_max, p_log_wealth, p_log_peak, p_log_floor,
                    p_log_drawdown
                where p_return is null
            ) as v
            offset 0
        ) as w
        offset 0
    ) as d
$$;

comment on function fund.next_return_stats(
    integer, double precision, double precision, double precision, double precision, double precision,
    double precision, double precision, double precision, double precision
) is
'A fund''s return accumulators (count, sum, Youngs-Cramer sum of squared deviations, min, max, and log wealth, '
'peak, floor and deepest drawdown) after one more daily return p_return, from the previous snapshot''s, and from '
'them volatility, Sharpe ratio and max drawdown as analytics.return_metrics(all returns, null, 252) gives them, '
'in O(1). A NULL p_return changes nothing; with no return yet every figure is NULL.';
