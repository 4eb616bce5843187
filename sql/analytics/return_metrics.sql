-- Performance and risk statistics of a series of simple periodic returns, with the definitions of
-- empyrical-reloaded (DESIGN §5 "Metrics"; where the two differ this follows empyrical, and
-- docs/analytics.md says where): funds, backtests and account analytics all call this one function.
--
-- Cost O(n log n), held by scripts/bench_metrics.py (make bench) to 5 × one avg/stddev pass over the
-- same array. What depends on the order of the returns (log wealth, its running peak and deepest
-- drawdown, Σ of squared log wealth for stability) is one PL/pgSQL loop of three statements; the rest
-- is one aggregate pass (mean and moments share one regr_* state) that sorts only the tails the
-- quantiles and CVaR read: an evenly spread sample of 512 returns picks the thresholds, and a full
-- sort is the fallback when the tails they cut are too short (and below 4,097 returns). Wealth is
-- kept as Σ ln(1 + r), so a long series never overflows. docs/analytics.md has the measurements.
--
-- security definer only so that an analyst, who may call nothing outside analytics, gets this
-- function's 22023 through app.raise_error (which reads app.error_codes); it reads no table.
-- Parallel unsafe: the block that turns a double-precision underflow into 22023 is a subtransaction.
-- depends: analytics/return_ratios.sql
create or replace function analytics.return_metrics(
    p_returns double precision[],
    p_benchmark double precision[] default null,
    p_periods_per_year integer default 252
)
returns analytics.return_metrics_row
language plpgsql
immutable
parallel unsafe
security definer
set search_path = ''
as $$
declare
    -- Above this exp() leaves double precision (empyrical's figure is infinite: NULL here); below the
    -- other the wealth is 0 to double precision.
    c_exp_max constant double precision := 709.78;
    c_exp_min constant double precision := -708;
    -- numpy.finfo(float64).eps: scipy's skew and kurtosis are NaN when m2 <= (eps · mean)².
    c_eps constant double precision := 2.220446049250313e-16;
    -- Below this population variance a benchmark has no beta (empyrical's cut-off), nor a correlation.
    c_min_variance constant double precision := 1e-30;
    -- Above this many returns the quantiles sort the tails beyond a sample's thresholds only.
    c_sample_from constant integer := 4096;
    c_sample_size constant integer := 512;
    v_n integer := coalesce(pg_catalog.cardinality(p_returns), 0);
    v_p double precision := p_periods_per_year;
    v_row analytics.return_metrics_row;
    v_total_loss boolean := false;
    v_at bigint;
    v_bad double precision;
    v_r double precision;
    v_lw double precision := 0;
    v_peak double precision := 0;
    v_dd double precision := 0;
    v_syy double precision := 0;
    v_c double precision;
    v_sample double precision [];
    v_first integer;
    v_lo double precision := 'Infinity';
    v_hi double precision := 'Infinity';
    v_low double precision [];
    v_high double precision [];
    v_next95 integer;
    v_mean double precision;
    v_sxx double precision;
    v_s3 double precision;
    v_s4 double precision;
    v_neg_mean double precision;
    v_neg_var double precision;
    v_sum_y double precision;
    v_sxy double precision;
    v_ratios analytics.return_metrics_row;
    v_m2 double precision;
    v_m3 double precision;
    v_m4 double precision;
    v_yy double precision;
    v_rr double precision;
    v_q double precision;
    v_x double precision;
    v_k integer;
    v_a double precision;
    v_b double precision;
    v_quantiles double precision [] := '{}';
    v_b_mean double precision;
    v_b_sxx double precision;
    v_rb_sxy double precision;
    v_corr double precision;
    v_a_mean double precision;
    v_a_std double precision;
    v_a_min double precision;
    v_a_max double precision;
begin
    if p_periods_per_year is null or p_periods_per_year < 1 then
        perform app.raise_error('22023', pg_catalog.format('p_periods_per_year must be a positive number of periods, got %s',
            coalesce(p_periods_per_year::text, 'null')), 'Pass 252 for daily returns, 52 for weekly, 12 for monthly.');
    end if;
    if pg_catalog.array_ndims(p_returns) > 1 or pg_catalog.array_ndims(p_benchmark) > 1 then
        perform app.raise_error('22023', 'p_returns and p_benchmark must be one-dimensional arrays',
            'Pass one return per period, oldest first: array_agg(r order by day).');
    end if;
    if p_benchmark is not null and pg_catalog.cardinality(p_benchmark) <> v_n then
        perform app.raise_error('22023', pg_catalog.format('p_benchmark has %s returns and p_returns %s: they must be '
            'aligned period by period', pg_catalog.cardinality(p_benchmark), v_n),
            'Pass the benchmark''s returns for the same periods in the same order (join on the date), or null.');
    end if;
    -- One test over the whole array: NULL, NaN, ±Infinity and anything outside (-1, 1e9] fail it. The
    -- slow path tells a -1 (everything lost: allowed) from an invalid element, whose position it reports.
    if p_returns is not null
        and not coalesce(-1 < all(p_returns) and 1e9::double precision >= all(p_returns), false) then
        v_total_loss := coalesce(-1 <= all(p_returns) and 1e9::double precision >= all(p_returns), false);
        if not v_total_loss then
            select u.i, u.r into v_at, v_bad
            from pg_catalog.unnest(p_returns) with ordinality as u (r, i)
            where not coalesce(u.r between -1 and 1e9, false)
            order by u.i limit 1;
            perform app.raise_error('22023', pg_catalog.format(
                'p_returns element %s must be a simple return from -1 to 1e9, got %s', v_at, coalesce(v_bad::text, 'null')),
                'NULL, NaN and infinite returns are refused, not skipped: leave those periods out '
                '(filter (where r is not null)); returns are fractions (0.01 for 1 %), never below -1.');
        end if;
    end if;
    if p_benchmark is not null
        and not coalesce(-1 <= all(p_benchmark) and 1e9::double precision >= all(p_benchmark), false) then
        select u.i, u.b into v_at, v_bad
        from pg_catalog.unnest(p_benchmark) with ordinality as u (b, i)
        where not coalesce(u.b between -1 and 1e9, false)
        order by u.i limit 1;
        perform app.raise_error('22023', pg_catalog.format(
            'p_benchmark element %s must be a simple return from -1 to 1e9, got %s', v_at, coalesce(v_bad::text, 'null')),
            'The benchmark''s returns follow the same rules as p_returns: finite fractions from -1 to 1e9.');
    end if;

    v_row.observations := v_n;
    if v_n = 0 then
        return v_row;
    end if;

    begin
        -- What depends on the order: log wealth, its running peak (from the starting wealth, log 1 = 0)
        -- and the deepest fall below it, and Σ (log wealth)² for stability. The log wealth is kept less
        -- c = ln(1 + r_1), its value after the first period, so that Σ y² − (Σ y)² / n does not lose the
        -- digits that a level far from 0 would cost (stability of two close returns needs them).
        -- The drawdown is the least of (log wealth - running peak) as computed, which strategy.sweep_curves
        -- reproduces term for term. A -1 takes the wealth to 0 for good: wealth and drawdown are then -1
        -- whatever follows, and stability is undefined.
        if v_total_loss then
            v_lw := '-Infinity';
            v_dd := '-Infinity';
        else
            v_c := pg_catalog.ln(1 + p_returns[pg_catalog.array_lower(p_returns, 1)]);
            v_lw := -v_c;
            v_peak := -v_c;
            foreach v_r in array p_returns loop
                v_lw := v_lw + pg_catalog.ln(1 + v_r);
                -- One test on the common path (neither a new peak nor a deeper fall).
                if v_lw > v_peak or v_lw - v_peak < v_dd then
                    if v_lw > v_peak then
                        v_peak := v_lw;
                    else
                        v_dd := v_lw - v_peak;
                    end if;
                end if;
                v_syy := v_syy + v_lw * v_lw;
            end loop;
            v_lw := v_lw + v_c;
        end if;

        -- Past c_sample_from returns, the tails to sort are cut at the 10 % and 90 % values of a sample
        -- spread evenly over the series (p_returns is expanded: a subscript costs O(1)).
        if v_n > c_sample_from then
            v_first := pg_catalog.array_lower(p_returns, 1);
            for v_i in 0..c_sample_size - 1 loop
                v_sample[v_i + 1] := p_returns[v_first + (v_i::bigint * (v_n - 1) / (c_sample_size - 1))::integer];
            end loop;
            select pg_catalog.percentile_disc(array[0.1, 0.9]) within group (order by s.x)
            into v_sample
            from (select pg_catalog.unnest(v_sample) as x) as s;
            v_lo := v_sample[1];
            v_hi := v_sample[2];
        end if;

        -- Everything else in one pass. regr_*(r², r) share one state: the mean, Σ(r − r̄)², and from
        -- Σ(r − r̄)(r² − mean r²) and Σ(r² − mean r²)² the third and fourth central moments without a
        -- second pass. min(r, 0)'s mean and variance, a second regr_* state (strategy.sweep_curves keeps the
        -- same one, so its downside risk is this one to the last bit), give downside risk and omega.
        -- Stability's Σ y and Σ (t − t̄) y over the log wealth y are sums of ln(1 + r) with weights known
        -- from the position.
        select
            pg_catalog.regr_avgx(u.r * u.r, u.r),
            pg_catalog.regr_sxx(u.r * u.r, u.r),
            pg_catalog.regr_sxy(u.r * u.r, u.r),
            pg_catalog.regr_syy(u.r * u.r, u.r),
            pg_catalog.regr_avgy(least(u.r, 0), u.r),
            pg_catalog.regr_syy(least(u.r, 0), u.r) / v_n,
            pg_catalog.sum(u.l * u.w),
            pg_catalog.sum(u.l * (u.w * (v_n - u.w))) / 2,
            pg_catalog.array_agg(u.r order by u.r) filter (where u.r <= v_lo),
            pg_catalog.array_agg(u.r order by u.r desc) filter (where u.r >= v_hi)
        into v_mean, v_sxx, v_s3, v_s4, v_neg_mean, v_neg_var, v_sum_y, v_sxy, v_low, v_high
        from (
            -- unnest in the select list streams the values (in FROM it would first copy them into a
            -- tuplestore, a third of the cost of this pass); offset 0 computes ln once per row, not once
            -- per aggregate. w = n − i + 1: how many log-wealth values y_t (t >= i) the i-th ln(1 + r) is in;
            -- the first is left out, as the loop leaves out c: these are sums over y − c.
            select
                s.r,
                (v_n + 1 - s.i)::double precision as w,
                case when s.i > 1 and s.r > -1 then pg_catalog.ln(1 + s.r) else 0 end as l
            from (select pg_catalog.unnest(p_returns) as r, pg_catalog.generate_series(1, v_n) as i) as s
            offset 0
        ) as u;
        v_low := coalesce(v_low, '{}');
        v_high := coalesce(v_high, '{}');

        -- The tails must hold the floor((n − 1)·0.05) + 2 smallest values (the 5 % quantile's neighbours;
        -- CVaR 95 averages all but the last), the 95 % quantile's two neighbours and the largest value.
        v_next95 := least(pg_catalog.floor((v_n - 1) * 0.95::double precision)::integer + 1, v_n - 1);
        if not (
            pg_catalog.cardinality(v_low)
            >= least(pg_catalog.floor((v_n - 1) * 0.05::double precision)::integer + 2, v_n)
            and (pg_catalog.cardinality(v_high) > 0 or pg_catalog.cardinality(v_low) = v_n)
            and (v_next95 - 1 < pg_catalog.cardinality(v_low) or v_next95 - 1 >= v_n - pg_catalog.cardinality(v_high))
            and (v_next95 < pg_catalog.cardinality(v_low) or v_next95 >= v_n - pg_catalog.cardinality(v_high))
        ) then
            select pg_catalog.array_agg(s.x order by s.x) into v_low from (select pg_catalog.unnest(p_returns) as x) as s;
            v_high := '{}';
        end if;
        v_row.worst_period := v_low[1];
        v_row.best_period := case when pg_catalog.cardinality(v_high) > 0 then v_high[1] else v_low[v_n] end;

        -- The 1 %, 5 % and 95 % quantiles as numpy.percentile's default computes them: index (n − 1)·q,
        -- interpolated from the upper neighbour once the weight reaches 0.5. sorted[k] (0-based) is
        -- v_low[k + 1] within the low tail, else v_high[n − k].
        foreach v_q in array array[0.01, 0.05, 0.95]::double precision [] loop
            v_x := (v_n - 1) * v_q;
            v_k := case when v_x >= v_n - 1 then v_n - 1 else pg_catalog.floor(v_x)::integer end;
            v_a := case when v_k < pg_catalog.cardinality(v_low) then v_low[v_k + 1] else v_high[v_n - v_k] end;
            v_k := least(v_k + 1, v_n - 1);
            v_b := case when v_k < pg_catalog.cardinality(v_low) then v_low[v_k + 1] else v_high[v_n - v_k] end;
            v_x := v_x - pg_catalog.floor(v_x);
            v_quantiles := v_quantiles
                || case when v_x >= 0.5 then v_b - (v_b - v_a) * (1 - v_x) else v_a + (v_b - v_a) * v_x end;
        end loop;
        v_row.var_99 := v_quantiles[1];
        v_row.var_95 := v_quantiles[2];
        if v_quantiles[2] <> 0 and pg_catalog.abs(v_quantiles[3]) / 1e300 <= pg_catalog.abs(v_quantiles[2]) then
            v_row.tail_ratio := pg_catalog.abs(v_quantiles[3]) / pg_catalog.abs(v_quantiles[2]);
        end if;
        -- CVaR: the mean of the k + 1 smallest returns, k = floor((n − 1) · cutoff).
        v_k := pg_catalog.floor((v_n - 1) * 0.05::double precision)::integer + 1;
        select
            pg_catalog.avg(s.x),
            pg_catalog.avg(s.x) filter (where s.i <= pg_catalog.floor((v_n - 1) * 0.01::double precision) + 1)
        into v_row.cvar_95, v_row.cvar_99
        from (select pg_catalog.unnest(v_low[1:v_k]) as x, pg_catalog.generate_series(1, v_k) as i) as s;

        -- Wealth, drawdown, volatility, Sharpe, downside risk, Sortino and Calmar from the accumulators.
        v_ratios := analytics.return_ratios(v_n, v_mean, v_sxx, v_row.best_period, v_row.worst_period, v_neg_mean,
            v_neg_var, v_lw, v_dd, p_periods_per_year);
        v_row.cumulative_return := v_ratios.cumulative_return;
        v_row.annual_return := v_ratios.annual_return;
        v_row.max_drawdown := v_ratios.max_drawdown;
        v_row.calmar_ratio := v_ratios.calmar_ratio;
        v_row.downside_risk := v_ratios.downside_risk;
        v_row.annual_volatility := v_ratios.annual_volatility;
        v_row.sharpe_ratio := v_ratios.sharpe_ratio;
        v_row.sortino_ratio := v_ratios.sortino_ratio;

        -- Central moments as scipy computes them (population, bias=True); NULL where scipy's are NaN.
        v_m2 := v_sxx / v_n;
        if v_row.best_period > v_row.worst_period and v_m2 > (c_eps * v_mean) * (c_eps * v_mean) then
            v_m3 := (v_s3 - 2 * v_mean * v_sxx) / v_n;
            v_m4 := (v_s4 + v_n * v_m2 * v_m2 - 4 * v_mean * (v_m3 * v_n) - 4 * v_mean * v_mean * v_sxx) / v_n;
            v_row.skew := v_m3 / pg_catalog.power(v_m2, 1.5);
            v_row.kurtosis := v_m4 / (v_m2 * v_m2) - 3;
        end if;

        if v_n >= 2 then
            -- Omega: Σ max(r, 0) / −Σ min(r, 0), with Σ max(r, 0) = Σ r − Σ min(r, 0) (0 when none is positive).
            if v_neg_mean < 0 then
                v_row.omega_ratio := case when v_row.best_period <= 0 then 0 else (v_mean - v_neg_mean) * v_n end
                    / (-v_neg_mean * v_n);
            end if;
            -- Stability: R² of the least-squares line through y_t = Σ_{s<=t} ln(1 + r_s) against t; NULL when
            -- y does not move (to double precision) or the wealth reached 0.
            v_yy := v_syy - v_sum_y * v_sum_y / v_n;
            if not v_total_loss and v_yy > 1e-12 * v_syy then
                v_rr := v_sxy / pg_catalog.sqrt(v_n * (v_n::double precision * v_n - 1) / 12 * v_yy);
                v_row.stability := pg_catalog.power(greatest(-1, least(1, v_rr)), 2);
            end if;
        end if;

        -- Against the benchmark (a second pass, over both arrays): beta = cov(r, b) / var(b), both
        -- population; alpha = (1 + mean(r − beta · b))^P − 1; correlation (Pearson); tracking error and
        -- information ratio over the active returns r − b, annualised like volatility and Sharpe.
        if p_benchmark is not null and v_n >= 2 then
            select
                pg_catalog.regr_avgx(u.r, u.b),
                pg_catalog.regr_sxx(u.r, u.b),
                pg_catalog.regr_sxy(u.r, u.b),
                pg_catalog.corr(u.r, u.b),
                pg_catalog.avg(u.r - u.b),
                pg_catalog.stddev_samp(u.r - u.b),
                pg_catalog.min(u.r - u.b),
                pg_catalog.max(u.r - u.b)
            into v_b_mean, v_b_sxx, v_rb_sxy, v_corr, v_a_mean, v_a_std, v_a_min, v_a_max
            from (select pg_catalog.unnest(p_returns) as r, pg_catalog.unnest(p_benchmark) as b) as u;
            if v_b_sxx / v_n >= c_min_variance then
                v_row.beta := v_rb_sxy / v_b_sxx;
                v_x := 1 + (v_mean - v_row.beta * v_b_mean);
                v_row.alpha := case
                    when v_x = 0 then -1
                    when pg_catalog.ln(pg_catalog.abs(v_x)) * v_p > c_exp_max then null
                    when pg_catalog.ln(pg_catalog.abs(v_x)) * v_p < c_exp_min then -1
                    else pg_catalog.power(v_x, v_p) - 1
                end;
                if v_m2 >= c_min_variance then
                    v_row.correlation := greatest(-1, least(1, v_corr));
                end if;
            end if;
            if v_a_min = v_a_max then
                v_row.tracking_error := 0;
            else
                v_row.tracking_error := v_a_std * pg_catalog.sqrt(v_p);
                v_row.information_ratio := v_a_mean / v_a_std * pg_catalog.sqrt(v_p);
            end if;
        end if;
    exception when numeric_value_out_of_range then
        perform app.raise_error('22023', 'p_returns (or p_benchmark) holds values too small or too large for '
            'double precision statistics (an underflow or overflow)',
            'Check the series'' units: simple returns such as 0.01 for 1 %, not prices, basis points or 1e-200.');
    end;
    return v_row;
end
$$;

comment on function analytics.return_metrics(double precision[], double precision[], integer) is
'Performance and risk statistics of simple periodic returns p_returns (oldest first), against p_benchmark when '
'given, annualised with p_periods_per_year: empyrical-reloaded''s definitions, one analytics.return_metrics_row. '
'Empty or NULL array: observations 0, every figure NULL. A figure is NULL, never NaN or infinite, where empyrical''s '
'is NaN or infinite (too few returns, no dispersion, no losses): docs/analytics.md has the table. 22023 for a '
'NULL, NaN, infinite or out-of-range (below -1, above 1e9) element, a benchmark of another length, a '
'multi-dimensional array, a p_periods_per_year below 1, or values that under- or overflow double precision. '
'O(n log n).';
