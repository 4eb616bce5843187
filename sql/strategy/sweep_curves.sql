-- The equity curves of many backtests over the same bars, reduced to their figures in one pass (a parameter
-- sweep: docs/strategies.md "Sweeps"), with strategy.run_backtest's arithmetic: the equity at a bar's close is
-- cash + position × close in double precision, from the state the bar is in; the daily returns are those of
-- the day ends' equity, accumulated as analytics.return_metrics accumulates them.
-- The states of combination j are the elements of p_cash and p_position whose p_first_bars element, the
-- state's first bar + (j - 1) × the number of bars, lies in [(j - 1) × bars, j × bars); p_first_bars
-- ascends, so a bar's state is one binary search (width_bucket) over all of them.
-- Out, per combination: over every bar, the lowest equity / running peak and (when p_lowest_equity) the
-- lowest equity; over the day ends p_day_ends (bar numbers from 0, ascending, the last bar among them), the
-- accumulators that analytics.return_ratios takes: the returns' mean and Σ(r − r̄)², min(r, 0)'s mean and
-- Σ of squared deviations (one regr_* state, as return_metrics keeps them), the best and worst return, the
-- log wealth Σ ln(1 + r) and its deepest fall below its running peak (return_metrics' loop, term for term).
-- Why dynamic SQL: one row per bar carries every combination as columns, so each combination costs a few
-- operations per bar, not a row per bar (docs/strategies.md, "Cost"). The statement is built from integers.
create or replace function strategy.sweep_curves(
    p_first_bars double precision[],
    p_cash double precision[],
    p_position double precision[],
    p_closes double precision[],
    p_day_ends integer[],
    p_combinations integer,
    p_lowest_equity boolean
)
returns table (
    combination integer,
    lowest_ratio double precision,
    lowest_equity double precision,
    mean double precision,
    sxx double precision,
    negative_mean double precision,
    negative_syy double precision,
    best double precision,
    worst double precision,
    log_wealth double precision,
    log_drawdown double precision
)
language plpgsql
immutable
set search_path = ''
as $$
declare
    -- At most this many combinations per statement, in chunks of equal size: planning and analysing a
    -- statement grows with the square of its columns (each combination has about ten), its execution
    -- linearly; 40 measured best (docs/strategies.md, "Cost").
    c_chunk constant integer := 40;
    v_statements integer := greatest(1, pg_catalog.ceil(coalesce(p_combinations, 0) / c_chunk::numeric));
    v_chunk integer := greatest(1, pg_catalog.ceil(coalesce(p_combinations, 0) / v_statements::numeric));
    v_bars integer := pg_catalog.cardinality(p_closes);
    v_days integer := pg_catalog.cardinality(p_day_ends);
    v_all_day_ends boolean := pg_catalog.cardinality(p_day_ends) = pg_catalog.cardinality(p_closes);
    v_last integer;
    v_states text;
    v_equities text;
    v_list text;
    v_peaks text;
    v_returns text;
    v_wealth text;
    v_wealth_peaks text;
    v_figures text;
    v_values text;
    v_bar_figures text;
    v_bar_values text;
    v_pass text;
    v_day_closes double precision [];
    v_bar_numbers integer [];
begin
    v_day_closes := array(select p_closes[u.d + 1] from pg_catalog.unnest(p_day_ends) with ordinality as u (d, o)
        order by u.o);
    if not v_all_day_ends then
        v_bar_numbers := array(select g from pg_catalog.generate_series(0, v_bars - 1) as g);
    end if;
    for v_first in 1 .. coalesce(p_combinations, 0) by v_chunk loop
        v_last := least(v_first + v_chunk - 1, p_combinations);
        -- Per combination j (i: its place in the chunk): its state at the row's bar (k), its equity (e); the
        -- running peak (p) and the previous row's equities (one lag of them all: a lag per column would read
        -- the previous row once per combination); equity / peak (q) and the return (r); the log wealth (lw,
        -- from 0 at the first return, as return_metrics' loop has it) and its running peak (pk, starting
        -- from -ln(1 + the first return): the wealth before it). An equity at or below 0 (ruin: the caller
        -- hands such a combination to run_backtest) must not stop the others: no division by 0, and the
        -- logarithm of 10^-300 at most.
        select
            pg_catalog.string_agg(pg_catalog.format(
                'pg_catalog.width_bucket((b.bar + %s)::double precision, $1) as k%s', (j - 1)::bigint * v_bars, j), ', '),
            pg_catalog.string_agg(pg_catalog.format('$2[a.k%1$s] + $3[a.k%1$s] * a.c as e%1$s', j), ', '),
            pg_catalog.string_agg(pg_catalog.format('x.e%s', j), ', '),
            pg_catalog.string_agg(pg_catalog.format('x.e%1$s, max(x.e%1$s) over w as p%1$s', j), ', '),
            -- (The equity itself goes on only for the lowest equity.)
            pg_catalog.string_agg(pg_catalog.format('y.e%1$s / y.p%1$s as q%1$s, y.e%1$s / nullif(y.previous[%2$s], 0) - 1 as r%1$s',
                j, j - v_first + 1) || case when p_lowest_equity then pg_catalog.format(', y.e%s', j) else '' end, ', '),
            pg_catalog.string_agg(pg_catalog.format('u.q%1$s, u.r%1$s, pg_catalog.sum(case when u.n = 2 then 0 '
                || 'when u.n > 2 then pg_catalog.ln(greatest(1 + u.r%1$s, 1e-300)) end) over w as lw%1$s', j)
                || case when p_lowest_equity then pg_catalog.format(', u.e%s', j) else '' end, ', '),
            pg_catalog.string_agg(pg_catalog.format('v.q%1$s, v.r%1$s, v.lw%1$s, max(case when v.n = 2 then '
                || 'greatest(-pg_catalog.ln(greatest(1 + v.r%1$s, 1e-300)), 0) else v.lw%1$s end) over w as pk%1$s', j)
                || case when p_lowest_equity then pg_catalog.format(', v.e%s', j) else '' end, ', '),
            pg_catalog.string_agg(pg_catalog.format('min(t.q%1$s) as lr%1$s, %2$s as le%1$s, '
                || 'pg_catalog.regr_avgx(least(t.r%1$s, 0), t.r%1$s) as m%1$s, '
                || 'pg_catalog.regr_sxx(least(t.r%1$s, 0), t.r%1$s) as s%1$s, '
                || 'pg_catalog.regr_avgy(least(t.r%1$s, 0), t.r%1$s) as nm%1$s, '
                || 'pg_catalog.regr_syy(least(t.r%1$s, 0), t.r%1$s) as ns%1$s, '
                || 'max(t.r%1$s) as b%1$s, min(t.r%1$s) as w%1$s, '
                || 'min(t.lw%1$s) filter (where t.n = %3$s) + min(pg_catalog.ln(greatest(1 + t.r%1$s, 1e-300))) filter (where t.n = 2) '
                || 'as l%1$s, least(min(t.lw%1$s - t.pk%1$s), 0) as d%1$s',
                j, case when p_lowest_equity then pg_catalog.format('min(t.e%s)', j) else 'null::double precision' end,
                v_days), ', '),
            pg_catalog.string_agg(pg_catalog.format('(%1$s, z.lr%1$s, z.le%1$s, z.m%1$s, z.s%1$s, z.nm%1$s, '
                || 'z.ns%1$s, z.b%1$s, z.w%1$s, z.l%1$s, z.d%1$s)', j), ', '),
            pg_catalog.string_agg(pg_catalog.format('min(y.e%1$s / y.p%1$s) as lr%1$s, %2$s as le%1$s',
                j, case when p_lowest_equity then pg_catalog.format('min(y.e%s)', j) else 'null::double precision' end), ', '),
            pg_catalog.string_agg(pg_catalog.format('(%1$s, g.lr%1$s, g.le%1$s)', j), ', ')
        into v_states, v_equities, v_list, v_peaks, v_returns, v_wealth, v_wealth_peaks, v_figures, v_values,
            v_bar_figures, v_bar_values
        from pg_catalog.generate_series(v_first, v_last) as j;

        -- The equities and their running peaks over the rows whose closes and bar numbers are parameters
        -- $%1$s and $%2$s. Each fence (offset 0: an expression computed once, not once per reference) is
        -- ordered by n, so that the planner knows the rows come in order and the windows sort nothing.
        v_pass := pg_catalog.format($sql$
            select x.n, %s, pg_catalog.lag(array[%s]) over w as previous
            from (
                select a.n, %s
                from (
                    select b.n, b.c, %s
                    from rows from (pg_catalog.unnest($%%1$s), pg_catalog.unnest($%%2$s)) with ordinality as b (c, bar, n)
                    order by b.n
                    offset 0
                ) as a
                order by a.n
                offset 0
            ) as x
            window w as (order by x.n rows unbounded preceding)
        $sql$, v_peaks, v_list, v_equities, v_states);

        -- $4, $5: the day ends' closes and bar numbers; $6, $7: every bar's, read for the curve's lowest ratio
        -- and equity when some bar is not a day end.
        return query execute pg_catalog.format($sql$
            select
                d.combination, coalesce(g.lowest_ratio, d.lowest_ratio), coalesce(g.lowest_equity, d.lowest_equity),
                d.mean, d.sxx, d.negative_mean, d.negative_syy, d.best, d.worst, d.log_wealth, d.log_drawdown
            from (
                select %s
                from (
                    select v.n, %s
                    from (
                        select u.n, %s
                        from (
                            select y.n, %s
                            from (%s) as y
                            order by y.n
                            offset 0
                        ) as u
                        window w as (order by u.n rows unbounded preceding)
                    ) as v
                    window w as (order by v.n rows unbounded preceding)
                ) as t
            ) as z
            cross join lateral (values %s) as d (
                combination, lowest_ratio, lowest_equity, mean, sxx, negative_mean, negative_syy, best, worst,
                log_wealth, log_drawdown
            )
            left join (%s) as g on d.combination = g.combination
        $sql$, v_figures, v_wealth_peaks, v_wealth, v_returns, pg_catalog.format(v_pass, 4, 5), v_values,
            case
                when v_all_day_ends then 'select null::integer as combination, null::double precision as lowest_ratio, '
                    || 'null::double precision as lowest_equity where false'
                else pg_catalog.format('select c.* from (select %s from (%s) as y) as g cross join lateral '
                    || '(values %s) as c (combination, lowest_ratio, lowest_equity)', v_bar_figures,
                    pg_catalog.format(v_pass, 6, 7), v_bar_values)
            end
        ) using p_first_bars, p_cash, p_position, v_day_closes, p_day_ends, p_closes, v_bar_numbers;
    end loop;
end
$$;

comment on function strategy.sweep_curves(
    double precision[], double precision[], double precision[], double precision[], integer[], integer, boolean
) is
'The figures of p_combinations equity curves over the same closes, each given by its states (first bar offset by '
'(j - 1) × the bars, cash, position): per combination the lowest equity / running peak and, with p_lowest_equity, '
'the lowest equity over every bar; over the day ends p_day_ends the daily returns'' accumulators for '
'analytics.return_ratios (mean, Σ(r − r̄)², min(r, 0)''s mean and Σ of squared deviations, best, worst, log wealth, '
'log drawdown). For a parameter sweep (strategy.sweep_backtest), in run_backtest''s and return_metrics'' double '
'precision arithmetic.';
