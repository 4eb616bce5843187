-- The figures of analytics.return_metrics that follow from a few accumulators of the returns, with its
-- definitions (DESIGN §5 "Metrics", empyrical-reloaded's): return_metrics computes the accumulators in its
-- one pass and a parameter sweep (strategy.sweep_curves) in its pass over many equity curves at once, and
-- both finish here, so their Sharpe and Sortino ratios are the same numbers.
-- In: n returns; their mean and Σ(r − r̄)² (regr_avgx / regr_sxx: Youngs-Cramer); the best and worst; the
-- mean and population variance of min(r, 0); the log wealth Σ ln(1 + r) and its deepest fall below its
-- running peak (≤ 0), -Infinity both when the wealth reached 0. Out: cumulative and annual return,
-- volatility, Sharpe, downside risk, Sortino, max drawdown, Calmar; the row's other fields are NULL.
create or replace function analytics.return_ratios(
    p_observations integer,
    p_mean double precision,
    p_sxx double precision,
    p_best double precision,
    p_worst double precision,
    p_negative_mean double precision,
    p_negative_variance double precision,
    p_log_wealth double precision,
    p_log_drawdown double precision,
    p_periods_per_year integer
)
returns analytics.return_metrics_row
language plpgsql
immutable
set search_path = ''
as $$
declare
    -- Above this exp() leaves double precision (empyrical's figure is infinite: NULL here); below the
    -- other the wealth is 0 to double precision.
    c_exp_max constant double precision := 709.78;
    c_exp_min constant double precision := -708;
    v_p double precision := p_periods_per_year;
    v_row analytics.return_metrics_row;
    v_x double precision;
    v_std double precision;
begin
    v_row.observations := p_observations;
    if coalesce(p_observations, 0) = 0 then
        return v_row;
    end if;
    v_row.best_period := p_best;
    v_row.worst_period := p_worst;

    -- Wealth and drawdown, annualised as empyrical does: wealth^(1 / (n / P)) − 1.
    v_row.cumulative_return := case
        when p_log_wealth > c_exp_max then null when p_log_wealth < c_exp_min then -1 else pg_catalog.exp(p_log_wealth) - 1
    end;
    v_x := p_log_wealth * (1 / (p_observations / v_p));
    v_row.annual_return := case
        when v_x > c_exp_max then null when v_x < c_exp_min then -1 else pg_catalog.exp(v_x) - 1
    end;
    v_row.max_drawdown := case when p_log_drawdown < c_exp_min then -1 else pg_catalog.exp(p_log_drawdown) - 1 end;
    if v_row.max_drawdown < 0 and pg_catalog.abs(v_row.annual_return) <= pg_catalog.abs(v_row.max_drawdown) * 1e308 then
        v_row.calmar_ratio := v_row.annual_return / pg_catalog.abs(v_row.max_drawdown);
    end if;

    -- Downside risk: the root of the mean of min(r, 0)² over all n periods (its mean² + its variance).
    v_row.downside_risk := pg_catalog.sqrt(p_negative_variance + p_negative_mean * p_negative_mean) * pg_catalog.sqrt(v_p);

    if p_observations >= 2 then
        -- A constant series has no dispersion (0, not the residue of rounding), so no Sharpe ratio.
        v_std := case when p_best = p_worst then 0 else pg_catalog.sqrt(p_sxx / (p_observations - 1)) end;
        v_row.annual_volatility := v_std * pg_catalog.sqrt(v_p);
        if v_std > 0 then
            v_row.sharpe_ratio := p_mean / v_std * pg_catalog.sqrt(v_p);
        end if;
        if v_row.downside_risk > 0 then
            v_row.sortino_ratio := p_mean * v_p / v_row.downside_risk;
        end if;
    end if;
    return v_row;
end
$$;

comment on function analytics.return_ratios(
    integer, double precision, double precision, double precision, double precision, double precision,
    double precision, double precision, double precision, integer
) is
'analytics.return_metrics''s wealth, drawdown, volatility, Sharpe, downside-risk, Sortino and Calmar figures from the '
'accumulators of n returns (mean, Σ(r − r̄)², best, worst, mean and population variance of min(r, 0), log wealth, '
'log drawdown), annualised with p_periods_per_year; the other fields NULL. Shared by return_metrics and '
'strategy.sweep_curves so that they agree. Raises nothing the arguments of those callers can reach.';
