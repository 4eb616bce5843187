-- depends: strategy/range_bars.sql strategy/rsi_entries.sql strategy/simulate.sql
-- depends: strategy/checked_parameters.sql strategy/run_backtest.sql strategy/last_of_day.sql
-- A parameter sweep (issue 16 §3, docs/strategies.md "Sweeps"): every combination of a grid run over the
-- same bars, stored as one strategy.sweeps row and one strategy.sweep_results row per combination, ranked.
-- api.sweep_backtest authorizes the caller and checks the arguments that need no bars; this expands the grid
-- and checks each combination with strategy.checked_parameters (the one parameter check): an impossible one
-- (fast >= slow, a window longer than the range, ...) is skipped and listed in the sweep's `skipped`, with
-- the check's message; a grid none of whose combinations can run is a 22023.
-- One set-based statement computes every combination (docs/strategies.md "Sweeps" says how): the opens,
-- closes and day ends are read once; the decisions of sma_crossover combinations come from each distinct
-- window length summed once for all of them (sma_crossings' crossing rule, its sign exact wherever double
-- precision could get it wrong), those of rsi_reversion from rsi_entries per combination; the trades from
-- strategy.simulate (cross join lateral); each combination's curve is one ordered pass over the bars with
-- run_backtest's states and arithmetic, reduced to the figures without being written. So each
-- combination's figures equal those of a run_backtest of it (test_sweeps.sql proves it, figure for
-- figure). The one exception to the set-based pass is ruin (equity at or below zero at a close, which only a
-- short or a price falling to zero can bring): such a combination is run by strategy.run_backtest itself,
-- its figures copied and its backtest deleted.
create or replace function strategy.sweep_backtest(
    p_user_id uuid,
    p_strategy_id uuid,
    p_strategy_type text,
    p_parameters jsonb,
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date,
    p_capital numeric,
    p_commission numeric,
    p_grid jsonb,
    p_rank_by text
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    -- At most this many combinations in one grid (before impossible ones are skipped).
    c_max_combinations constant integer := 1000;
    v_id uuid := pg_catalog.gen_random_uuid();
    v_bars integer;
    v_opens numeric [];
    v_starts timestamptz [];
    v_closes numeric [];
    v_closes_f double precision [];
    v_day_end boolean [];
    v_first_at timestamptz;
    v_last_at timestamptz;
    v_key text;
    v_spec jsonb;
    v_values jsonb [];
    v_combos jsonb [] := array['{}'::jsonb];
    v_combo jsonb;
    v_checked jsonb;
    v_runs jsonb [] := '{}';
    v_skipped jsonb := '[]';
    v_warmup integer;
    v_from numeric;
    v_to numeric;
    v_step numeric;
    v_ruined jsonb [];
    v_backtest_id uuid;
    v_no integer;
begin
    select count(*)::integer, pg_catalog.array_agg(b.open order by b.bar_no), pg_catalog.array_agg(b.ts order by b.bar_no),
        pg_catalog.array_agg(b.close order by b.bar_no), min(b.ts), max(b.ts)
    into v_bars, v_opens, v_starts, v_closes, v_first_at, v_last_at
    from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b;
    -- Per bar, whether it is the last of its UTC day: the daily returns of the figures are those of its equity.
    v_day_end := array(
        select strategy.last_of_day(u.ts, v_starts[u.n + 1])
        from pg_catalog.unnest(v_starts) with ordinality as u (ts, n)
        order by u.n
    );
    v_closes_f := array(select x::double precision from pg_catalog.unnest(v_closes) with ordinality as u (x, n)
        order by u.n);
    if v_bars = 0 then
        perform app.raise_error('P0002', pg_catalog.format('no %s bars of security %s from %s to %s', p_timeframe,
            p_security_id, p_start, p_end), 'Import bars (tradebase market import) or choose a range that has them.');
    end if;

    -- The grid: per parameter an array of values or a range {"from", "to", "step"}; its combinations are the
    -- cartesian product, in the order of the grid's keys (jsonb's) and of each key's values.
    for v_key, v_spec in select e.key, e.value from pg_catalog.jsonb_each(p_grid) as e order by e.key loop
        if not p_parameters ? v_key then
            perform app.raise_error('22023', pg_catalog.format('grid parameter %s is unknown for a %s strategy',
                app.quote_input(v_key), p_strategy_type), pg_catalog.format('Its parameters are %s.',
                (select pg_catalog.string_agg(k, ', ' order by k) from pg_catalog.jsonb_object_keys(p_parameters) as k)));
        end if;
        if pg_catalog.jsonb_typeof(v_spec) = 'array' and pg_catalog.jsonb_array_length(v_spec) > 0 then
            v_values := array(select v.value from pg_catalog.jsonb_array_elements(v_spec) with ordinality as v
                order by v.ordinality);
        elsif pg_catalog.jsonb_typeof(v_spec) = 'object'
            and (select pg_catalog.array_agg(k order by k) from pg_catalog.jsonb_object_keys(v_spec) as k)
                <@ array['from', 'step', 'to']
            and pg_catalog.jsonb_typeof(v_spec -> 'from') = 'number' and pg_catalog.jsonb_typeof(v_spec -> 'to') = 'number'
            and coalesce(pg_catalog.jsonb_typeof(v_spec -> 'step'), 'number') = 'number' then
            v_from := (v_spec ->> 'from')::numeric;
            v_to := (v_spec ->> 'to')::numeric;
            v_step := coalesce((v_spec ->> 'step')::numeric, 1);
            if v_step <= 0 or v_from > v_to or (v_to - v_from) / v_step >= c_max_combinations then
                perform app.raise_error('22023', pg_catalog.format('grid range of %s must have from <= to, a positive '
                    || 'step and at most %s values, got %s', v_key, c_max_combinations, app.quote_input(v_spec::text)),
                    'Pass e.g. {"from": 5, "to": 20, "step": 5}.');
            end if;
            v_values := array(select pg_catalog.to_jsonb(g) from pg_catalog.generate_series(v_from, v_to, v_step) as g);
        else
            perform app.raise_error('22023', pg_catalog.format('grid parameter %s must be a non-empty array of values '
                || 'or a range {"from", "to", "step"}, got %s', v_key, app.quote_input(pg_catalog.left(v_spec::text,
                200))), 'Pass e.g. {"fast": [5, 10], "slow": {"from": 20, "to": 60, "step": 10}}.');
        end if;
        if pg_catalog.cardinality(v_combos)::bigint * pg_catalog.cardinality(v_values) > c_max_combinations then
            perform app.raise_error('22023', pg_catalog.format('the grid has more than %s combinations',
                c_max_combinations), 'Sweep a coarser grid, or several smaller ones.');
        end if;
        v_combos := array(
            select c.combo || pg_catalog.jsonb_build_object(v_key, v.value)
            from pg_catalog.unnest(v_combos) with ordinality as c (combo, combo_no)
            cross join pg_catalog.unnest(v_values) with ordinality as v (value, value_no)
            order by c.combo_no, v.value_no
        );
    end loop;

    -- Each combination checked; impossible ones skipped with the check's reason, duplicates run once.
    foreach v_combo in array v_combos loop
        begin
            v_checked := strategy.checked_parameters(p_strategy_type, p_parameters || v_combo);
            -- Whole numbers of bars written as 5.0 (a range with a fractional step) are stored as 5.
            v_checked := v_checked || coalesce((
                select pg_catalog.jsonb_object_agg(k, pg_catalog.trunc((v_checked ->> k)::numeric))
                from pg_catalog.unnest(array['fast', 'slow', 'period']) as k
                where v_checked ? k
            ), '{}');
            v_warmup := case p_strategy_type
                when 'sma_crossover' then (v_checked ->> 'slow')::integer - 1
                else (v_checked ->> 'period')::integer
            end;
            if v_bars <= v_warmup then
                v_skipped := v_skipped || pg_catalog.jsonb_build_object('parameters', v_combo, 'reason',
                    pg_catalog.format('the range has %s %s bars; these parameters need at least %s', v_bars,
                    p_timeframe, v_warmup + 1));
            elsif not v_checked = any(v_runs) then
                v_runs := v_runs || v_checked;
            end if;
        exception when invalid_parameter_value then
            v_skipped := v_skipped || pg_catalog.jsonb_build_object('parameters', v_combo, 'reason', sqlerrm);
        end;
    end loop;
    if pg_catalog.cardinality(v_runs) = 0 then
        perform app.raise_error('22023', pg_catalog.format('none of the %s combinations of the grid can run: %s',
            pg_catalog.cardinality(v_combos), pg_catalog.left((v_skipped -> 0 ->> 'reason'), 200)),
            'Choose values the strategy accepts (fast below slow, oversold below overbought) and windows the range '
            || 'has bars for.');
    end if;

    begin
        insert into strategy.sweeps (
            id, user_id, strategy_id, security_id, strategy_type, parameters, grid, rank_by, timeframe, start_date,
            end_date, initial_capital, commission, bars, first_bar_at, last_bar_at, combinations, skipped
        ) values (
            v_id, p_user_id, p_strategy_id, p_security_id, p_strategy_type, p_parameters, p_grid, p_rank_by,
            p_timeframe, p_start, p_end, p_capital, p_commission, v_bars, v_first_at, v_last_at,
            pg_catalog.cardinality(v_runs), v_skipped
        );

        -- Every combination at once. Ranks are provisional (1,000 + the combination's number, clear of the final
        -- 1..n, so the unique (sweep_id, rank) holds row by row) until all rows are in.
        with combos as materialized (
            select
                c.combo_no::integer as combo_no,
                c.parameters,
                coalesce(c.parameters ->> 'mode' = 'long_short', false) as reverse,
                case p_strategy_type when 'sma_crossover' then (c.parameters ->> 'slow')::integer - 1
                    else (c.parameters ->> 'period')::integer end as warmup
            from pg_catalog.unnest(v_runs) with ordinality as c (parameters, combo_no)
        ),
        -- sma_crossover: every distinct window length summed once for all combinations (the sum of the last k
        -- closes, k times sma_crossings' average).
        lengths as (
            select distinct w.k
            from combos as c
            cross join lateral pg_catalog.unnest(
                array[(c.parameters ->> 'fast')::integer, (c.parameters ->> 'slow')::integer]
            ) as w (k)
            where p_strategy_type = 'sma_crossover'
        ),
        -- Moving sums in double precision (the exact sums are computed only where a sign needs them, below).
        sums as materialized (
            select l.k, s.totals_f, array[null::double precision] || s.totals_f as previous_totals_f
            from lengths as l
            cross join lateral (
                select pg_catalog.array_agg(a.total) as totals_f
                from (
                    select pg_catalog.sum(u.close) over (order by u.n rows between l.k - 1 preceding and current row) as total
                    from pg_catalog.unnest(v_closes_f) with ordinality as u (close, n)
                    order by u.n
                ) as a
            ) as s
        ),
        trades as materialized (
            select c.combo_no, t.*
            from combos as c
            cross join lateral (
                select
                    coalesce(pg_catalog.array_agg(d.bar_no order by d.bar_no), '{}') as bars,
                    coalesce(pg_catalog.array_agg(d.target order by d.bar_no), '{}') as targets,
                    coalesce(pg_catalog.array_agg(d.fill_at order by d.bar_no), '{}') as fill_ats,
                    coalesce(pg_catalog.array_agg(d.fill_open order by d.bar_no), '{}') as fill_opens
                from (
                    -- sma_crossings' rule on the shared sums: a cross at bar i (from bar slow on) when the fast
                    -- average was strictly on one side at i - 1 and strictly on the other at i, the sign of
                    -- slow × (fast sum) - fast × (slow sum); it fills at the next bar. The sign is read from
                    -- the sums in double precision where the difference is clear of their rounding, and
                    -- computed exactly (numeric sums of the closes: rare) where it is not, so it is always
                    -- sma_crossings' sign.
                    select
                        x.bar_no,
                        case when c.reverse or x.now = 1 then x.now else 0 end as target,
                        v_starts[x.bar_no + 2] as fill_at,
                        v_opens[x.bar_no + 2] as fill_open
                    from (
                        select
                            u.bar_no,
                            case
                                when pg_catalog.abs(u.difference) > u.tolerance
                                    then (u.difference > 0)::integer - (u.difference < 0)::integer
                                else pg_catalog.sign(
                                    u.slow_k * (select sum(x) from pg_catalog.unnest(v_closes[u.n - u.fast_k + 1:u.n]) as x)
                                    - u.fast_k * (select sum(x) from pg_catalog.unnest(v_closes[u.n - u.slow_k + 1:u.n]) as x)
                                )::integer
                            end as now,
                            case
                                when pg_catalog.abs(u.previous) > u.previous_tolerance
                                    then (u.previous > 0)::integer - (u.previous < 0)::integer
                                else pg_catalog.sign(
                                    u.slow_k * (select sum(x) from pg_catalog.unnest(v_closes[u.n - u.fast_k:u.n - 1]) as x)
                                    - u.fast_k * (select sum(x) from pg_catalog.unnest(v_closes[u.n - u.slow_k:u.n - 1]) as x)
                                )::integer
                            end as before
                        from (
                            -- Each bar beside the one before it (the sums shifted by one: no window, no sort).
                            select
                                (t.n - 1)::integer as bar_no,
                                t.n,
                                f.k as fast_k,
                                s.k as slow_k,
                                s.k * t.fast_f - f.k * t.slow_f as difference,
                                (pg_catalog.abs(s.k * t.fast_f) + pg_catalog.abs(f.k * t.slow_f)) * 1e-12 as tolerance,
                                s.k * t.previous_fast_f - f.k * t.previous_slow_f as previous,
                                (pg_catalog.abs(s.k * t.previous_fast_f) + pg_catalog.abs(f.k * t.previous_slow_f)) * 1e-12
                                as previous_tolerance
                            from sums as f
                            inner join sums as s on s.k = (c.parameters ->> 'slow')::integer
                            cross join lateral rows from (
                                pg_catalog.unnest(f.totals_f), pg_catalog.unnest(s.totals_f),
                                pg_catalog.unnest(f.previous_totals_f), pg_catalog.unnest(s.previous_totals_f)
                            ) with ordinality as t (fast_f, slow_f, previous_fast_f, previous_slow_f, n)
                            where f.k = (c.parameters ->> 'fast')::integer
                        ) as u
                        where u.bar_no >= u.slow_k
                    ) as x
                    where x.now * x.before = -1
                    union all
                    select r.bar_no, r.target, r.fill_at, r.fill_open
                    from strategy.rsi_entries(p_security_id, p_timeframe, p_start, p_end,
                        (c.parameters ->> 'period')::integer, (c.parameters ->> 'oversold')::numeric,
                        (c.parameters ->> 'overbought')::numeric) as r
                    where p_strategy_type = 'rsi_reversion'
                ) as d
            ) as decisions
            cross join lateral strategy.simulate(decisions.bars, decisions.targets, decisions.fill_ats,
                decisions.fill_opens, c.reverse, p_capital, p_commission) as t
        ),
        -- run_backtest's states: from bar 0 the capital and no position, then at each bar where a trade opens,
        -- or closes without another opening, its cash part and position (equity = cash + position × close).
        changes as (
            select c.combo_no, 0 as bar_no, p_capital as cash, 0::numeric as position
            from combos as c
            union all
            select t.combo_no, t.entry_bar, t.entry_cash - t.size * t.entry_price, t.size
            from trades as t
            union all
            select t.combo_no, t.exit_bar, t.exit_cash, 0
            from trades as t
            where
                t.exit_bar is not null
                and not exists (select from trades as n where n.combo_no = t.combo_no and n.entry_bar = t.exit_bar)
        ),
        -- Each combination's states as arrays, one row per combination.
        segments as materialized (
            select
                ch.combo_no,
                pg_catalog.array_agg(ch.bar_no order by ch.bar_no) as first_bars,
                pg_catalog.array_agg(ch.cash order by ch.bar_no) as cashes,
                pg_catalog.array_agg(ch.position order by ch.bar_no) as positions,
                pg_catalog.array_agg(ch.cash::double precision order by ch.bar_no) as cashes_f,
                pg_catalog.array_agg(ch.position::double precision order by ch.bar_no) as positions_f
            from changes as ch
            group by ch.combo_no
        ),
        -- run_backtest's pass over the bars for each combination: the bars in order (unnest with ordinality,
        -- which the planner knows is ordered: the window sorts nothing), each bar's state by a binary search
        -- of the states' first bars (width_bucket), its equity in double precision, the running peak.
        curve_figures as materialized (
            select
                sg.combo_no,
                f.max_drawdown,
                f.ruin,
                (
                    sg.cashes[pg_catalog.cardinality(sg.cashes)]
                    + sg.positions[pg_catalog.cardinality(sg.cashes)] * v_closes[v_bars]
                )::numeric(38, 8) as final_equity,
                (
                    -- Each day's equity beside the day's before (shifted by one: no window, no sort).
                    select pg_catalog.array_agg(d.r)
                    from (
                        select u.equity / u.previous - 1 as r
                        from rows from (
                            pg_catalog.unnest(f.day_equities),
                            pg_catalog.unnest(array[null::double precision] || f.day_equities)
                        ) with ordinality as u (equity, previous, k)
                        where u.previous > 0 and u.equity is not null
                        order by u.k
                    ) as d
                ) as returns
            from segments as sg
            cross join lateral (
                select
                    (min(x.equity / x.peak) - 1) * 100 as max_drawdown,
                    min(x.n - 1) filter (
                        where
                            x.equity <= pg_catalog.abs(sg.cashes_f[x.k]) * 1e-12
                            and sg.cashes[x.k] + sg.positions[x.k] * v_closes[x.n] <= 0
                    )::integer as ruin,
                    -- In bar order: the rows come sorted by the window (the subquery's ORDER BY costs nothing).
                    pg_catalog.array_agg(x.equity) filter (where v_day_end[x.n]) as day_equities
                from (
                    select e.n, e.k, e.equity, max(e.equity) over (order by e.n) as peak
                    from (
                        select
                            b.n,
                            b.k,
                            case when sg.positions_f[b.k] = 0 then sg.cashes_f[b.k]
                                else sg.cashes_f[b.k] + sg.positions_f[b.k] * b.close end as equity
                        from (
                            select u.n, u.close, pg_catalog.width_bucket((u.n - 1)::integer, sg.first_bars) as k
                            from pg_catalog.unnest(v_closes_f) with ordinality as u (close, n)
                        ) as b
                    ) as e
                    order by e.n
                ) as x
            ) as f
        ),
        trade_figures as (
            select
                x.combo_no,
                (count(*) filter (where x.exit_bar is not null))::integer as closed,
                (count(*) filter (where x.pnl::numeric(38, 8) > 0))::integer as winning,
                (count(*) filter (where x.pnl::numeric(38, 8) < 0))::integer as losing,
                coalesce(sum(x.pnl::numeric(38, 8)) filter (where x.pnl::numeric(38, 8) > 0), 0)::double precision
                as gains,
                coalesce(sum(x.pnl::numeric(38, 8)) filter (where x.pnl::numeric(38, 8) < 0), 0)::double precision
                as losses,
                avg(x.return_pct) filter (where x.exit_bar is not null) as avg_pct,
                max(x.return_pct) filter (where x.exit_bar is not null) as best_pct,
                min(x.return_pct) filter (where x.exit_bar is not null) as worst_pct,
                coalesce(sum(x.commission::numeric(38, 8)) filter (where x.exit_bar is not null), 0) as commissions,
                coalesce(sum(coalesce(x.exit_bar, v_bars - 1) - x.entry_bar + 1), 0)
                - count(*) filter (where x.entry_bar = x.previous_exit) as exposed
            from (
                select
                    t.combo_no,
                    t.entry_bar,
                    t.exit_bar,
                    t.pnl,
                    t.commission,
                    (t.pnl / (pg_catalog.abs(t.size) * t.entry_price) * 100)::double precision as return_pct,
                    pg_catalog.lag(t.exit_bar) over (partition by t.combo_no order by t.trade_no) as previous_exit
                from trades as t
            ) as x
            group by x.combo_no
        )
        insert into strategy.sweep_results (
            sweep_id, combination_no, user_id, rank, parameters, final_equity, return_pct, buy_hold_return_pct,
            max_drawdown_pct, closed_trades, winning_trades, losing_trades, win_rate_pct, profit_factor, avg_trade_pct,
            best_trade_pct, worst_trade_pct, commissions, exposure_pct, sharpe_ratio, sortino_ratio, calmar_ratio
        )
        select
            v_id,
            c.combo_no,
            p_user_id,
            c_max_combinations + c.combo_no,
            c.parameters,
            f.final_equity,
            ((f.final_equity / p_capital - 1) * 100)::double precision,
            (v_closes[v_bars] / v_closes[c.warmup + 1] - 1)::double precision * 100,
            f.max_drawdown,
            coalesce(t.closed, 0),
            coalesce(t.winning, 0),
            coalesce(t.losing, 0),
            t.winning::double precision / nullif(t.closed, 0) * 100,
            t.gains / nullif(-t.losses, 0),
            t.avg_pct,
            t.best_pct,
            t.worst_pct,
            coalesce(t.commissions, 0),
            coalesce(t.exposed, 0)::double precision / v_bars * 100,
            m.sharpe_ratio,
            m.sortino_ratio,
            m.calmar_ratio
        from combos as c
        inner join curve_figures as f on c.combo_no = f.combo_no
        left join trade_figures as t on c.combo_no = t.combo_no
        -- In FROM, so that it runs once per combination (not once per field read).
        cross join lateral analytics.return_metrics(coalesce(f.returns, '{}')) as m
        where f.ruin is null;

        -- Ruined combinations: run_backtest's own handling; its backtest is read, then deleted.
        v_ruined := array(
            select c.parameters
            from pg_catalog.unnest(v_runs) with ordinality as c (parameters, combo_no)
            where not exists (
                select from strategy.sweep_results as s where s.sweep_id = v_id and s.combination_no = c.combo_no
            )
            order by c.combo_no
        );
        foreach v_combo in array v_ruined loop
            v_no := pg_catalog.array_position(v_runs, v_combo);
            v_backtest_id := strategy.run_backtest(p_user_id, p_strategy_id, p_strategy_type, v_combo, p_security_id,
                p_timeframe, p_start, p_end, p_capital, p_commission);
            insert into strategy.sweep_results (
                sweep_id, combination_no, user_id, rank, parameters, final_equity, return_pct, buy_hold_return_pct,
                max_drawdown_pct, closed_trades, winning_trades, losing_trades, win_rate_pct, profit_factor,
                avg_trade_pct, best_trade_pct, worst_trade_pct, commissions, exposure_pct, sharpe_ratio, sortino_ratio,
                calmar_ratio
            )
            select
                v_id, v_no, p_user_id, c_max_combinations + v_no, v_combo, b.final_equity, b.return_pct, b.buy_hold_return_pct,
                b.max_drawdown_pct, b.closed_trades, b.winning_trades, b.losing_trades, b.win_rate_pct, b.profit_factor,
                b.avg_trade_pct, b.best_trade_pct, b.worst_trade_pct, b.commissions, b.exposure_pct, b.sharpe_ratio,
                b.sortino_ratio, b.calmar_ratio
            from strategy.backtests as b
            where b.id = v_backtest_id;
            delete from strategy.backtests as b where b.id = v_backtest_id;
        end loop;

        -- The ranks: higher is better for every figure (max_drawdown_pct is 0 or negative), nulls last, ties in
        -- grid order.
        update strategy.sweep_results as s set rank = r.rank
        from (
            select
                x.combination_no,
                pg_catalog.row_number() over (
                    order by case p_rank_by
                        when 'sharpe_ratio' then x.sharpe_ratio
                        when 'sortino_ratio' then x.sortino_ratio
                        when 'calmar_ratio' then x.calmar_ratio
                        when 'return_pct' then x.return_pct
                        when 'max_drawdown_pct' then x.max_drawdown_pct
                        when 'win_rate_pct' then x.win_rate_pct
                        when 'profit_factor' then x.profit_factor
                    end desc nulls last, x.combination_no
                )::integer as rank
            from strategy.sweep_results as x
            where x.sweep_id = v_id
        ) as r
        where s.sweep_id = v_id and s.combination_no = r.combination_no;
    exception when numeric_value_out_of_range then
        perform app.raise_error('22023', pg_catalog.format('a sweep of %s with a capital of %s on these prices '
            || 'takes sizes or amounts beyond tradebase''s limits (10^18 units, 10^30 of money)', p_strategy_id,
            p_capital), 'Sweep with a smaller capital.');
    end;
    return v_id;
end
$$;

comment on function strategy.sweep_backtest(uuid, uuid, text, jsonb, uuid, text, date, date, numeric, numeric, jsonb, text)
is
'Runs and stores a parameter sweep for p_user_id (strategy.sweeps, strategy.sweep_results ranked by p_rank_by) of a '
'sma_crossover or rsi_reversion strategy with checked arguments (api.sweep_backtest checks them); impossible '
'combinations are skipped and listed. P0002 when the range has no bars; 22023 for a malformed or too large grid '
'(over 1,000 combinations), one no combination of which can run, or sizes or amounts beyond the columns. Returns '
'the sweep''s id.';
