-- depends: strategy/range_bars.sql strategy/rsi_entries.sql strategy/simulate.sql
-- depends: strategy/checked_parameters.sql strategy/run_backtest.sql strategy/last_of_day.sql
-- depends: strategy/sweep_crossings.sql strategy/sweep_curves.sql analytics/return_ratios.sql
-- A parameter sweep (issue 16 §3, docs/strategies.md "Sweeps"): every combination of a grid run over the
-- same bars, stored as one strategy.sweeps row and one strategy.sweep_results row per combination, ranked.
-- api.sweep_backtest authorizes the caller and checks the arguments that need no bars; this expands the grid
-- and checks each combination with strategy.checked_parameters (the one parameter check): an impossible one
-- (fast >= slow, a window longer than the range, ...) is skipped and listed in the sweep's `skipped`, with
-- the check's message; a grid none of whose combinations can run is a 22023.
-- One set-based statement computes every combination (docs/strategies.md "Sweeps" says how): the opens,
-- closes and day ends are read once; the decisions of sma_crossover combinations come from
-- strategy.sweep_crossings (sma_crossings' rule for all of them at once, in exact integer arithmetic on the
-- closes' running totals; sma_crossings itself where bigint could overflow), those of rsi_reversion from
-- rsi_entries per combination; the trades from strategy.simulate (cross join lateral); all the curves from
-- strategy.sweep_curves (run_backtest's states and arithmetic, reduced to the figures without being
-- written), finished by analytics.return_ratios as return_metrics finishes run_backtest's. So each
-- combination's figures equal those of a run_backtest of it (test_sweeps.sql proves it, figure for
-- figure). The one exception to the set-based pass is ruin (equity at or below zero at a close, which only a
-- short can bring) and a daily return beyond return_metrics' range: such a combination is run by
-- strategy.run_backtest itself, its figures copied and its backtest deleted (or its error raised).
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
    v_day_end_bars integer [];
    v_highest_close numeric;
    v_close_totals numeric [];
    -- sma_crossover: the closes' running totals in 10^-8 units after a 0 (strategy.sweep_crossings), NULL
    -- where bigint could overflow; each combination's windows.
    v_totals bigint [];
    v_fast integer [];
    v_slow integer [];
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
    -- The bars in order (the subquery's: an aggregate's own ORDER BY would sort each array again).
    select count(*)::integer, pg_catalog.array_agg(b.open), pg_catalog.array_agg(b.ts), pg_catalog.array_agg(b.close),
        min(b.ts), max(b.ts), max(b.close), pg_catalog.array_agg(b.close_total)
    into v_bars, v_opens, v_starts, v_closes, v_first_at, v_last_at, v_highest_close, v_close_totals
    from (
        select r.* from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as r order by r.bar_no
    ) as b;
    -- The bars that are the last of their UTC day (numbered from 0): the daily returns are their equity's.
    v_day_end_bars := array(
        select u.n - 1
        from pg_catalog.unnest(v_starts) with ordinality as u (ts, n)
        where strategy.last_of_day(u.ts, v_starts[u.n + 1])
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

        if p_strategy_type = 'sma_crossover' then
            v_fast := array(select (u.r ->> 'fast')::integer from pg_catalog.unnest(v_runs) with ordinality as u (r, n)
                order by u.n);
            v_slow := array(select (u.r ->> 'slow')::integer from pg_catalog.unnest(v_runs) with ordinality as u (r, n)
                order by u.n);
            -- Exact in bigint when the totals and slow × (fast sum) stay below 2^63 (9.2 × 10^18) units.
            if greatest(v_bars, 2 * (
                select max(w.f::bigint * w.s) from rows from (pg_catalog.unnest(v_fast), pg_catalog.unnest(v_slow)) as w (f, s)
            )) * v_highest_close * 100000000 < 9e18 then
                v_totals := array[0::bigint] || array(
                    select (u.t * 100000000)::bigint from pg_catalog.unnest(v_close_totals) with ordinality as u (t, n)
                    order by u.n
                );
            end if;
        end if;

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
        -- Each combination's decisions: bar, target (1 long, -1 short, 0 flat), the next bar's start and open.
        decisions as (
            -- sma_crossover: all crossings at once, exactly, in integer arithmetic on the running totals.
            select
                x.combination as combo_no,
                x.bar_no,
                case when c.reverse or x.direction = 1 then x.direction else 0 end as target,
                o.ts as fill_at,
                o.open as fill_open
            from strategy.sweep_crossings(v_totals, v_fast, v_slow) as x
            inner join combos as c on x.combination = c.combo_no
            -- The fill: the next bar's start and open (a join: a numeric[] element costs its position to reach).
            left join rows from (pg_catalog.unnest(v_starts), pg_catalog.unnest(v_opens)) with ordinality as o (ts, open, n)
                on o.n = x.bar_no + 2
            union all
            -- sma_crossover on prices too large for bigint: sma_crossings (exact numeric) per combination.
            select
                c.combo_no,
                x.bar_no,
                case when c.reverse or x.direction = 1 then x.direction else 0 end,
                x.fill_at,
                x.fill_open
            from combos as c
            cross join lateral strategy.sma_crossings(p_security_id, p_timeframe, p_start, p_end,
                (c.parameters ->> 'fast')::integer, (c.parameters ->> 'slow')::integer) as x
            where p_strategy_type = 'sma_crossover' and v_totals is null
            union all
            select c.combo_no, r.bar_no, r.target, r.fill_at, r.fill_open
            from combos as c
            cross join lateral strategy.rsi_entries(p_security_id, p_timeframe, p_start, p_end,
                (c.parameters ->> 'period')::integer, (c.parameters ->> 'oversold')::numeric,
                (c.parameters ->> 'overbought')::numeric) as r
            where p_strategy_type = 'rsi_reversion'
        ),
        decided as (
            select
                d.combo_no,
                pg_catalog.array_agg(d.bar_no order by d.bar_no) as bars,
                pg_catalog.array_agg(d.target order by d.bar_no) as targets,
                pg_catalog.array_agg(d.fill_at order by d.bar_no) as fill_ats,
                pg_catalog.array_agg(d.fill_open order by d.bar_no) as fill_opens
            from decisions as d
            group by d.combo_no
        ),
        trades as materialized (
            select c.combo_no, t.*
            from combos as c
            left join decided as d on c.combo_no = d.combo_no
            cross join lateral strategy.simulate(coalesce(d.bars, '{}'), coalesce(d.targets, '{}'),
                coalesce(d.fill_ats, '{}'), coalesce(d.fill_opens, '{}'), c.reverse, p_capital, p_commission) as t
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
        -- Each combination's last state, and what tells its ruin candidates: only a short can take the
        -- equity to 0 or below (a long one keeps cash >= 0 and a positive close), and run_backtest's
        -- candidates are equities within 10^-12 of the cash.
        segments as materialized (
            select
                ch.combo_no,
                (pg_catalog.array_agg(ch.cash order by ch.bar_no desc))[1] as last_cash,
                (pg_catalog.array_agg(ch.position order by ch.bar_no desc))[1] as last_position,
                max(pg_catalog.abs(ch.cash))::double precision * 1e-12 as ruin_tolerance
            from changes as ch
            group by ch.combo_no
        ),
        -- Every combination's curve in one pass (strategy.sweep_curves): the states of all of them in one
        -- ascending array, combination j's first bars offset by (j - 1) × the bars.
        curves as materialized (
            select v.*
            from (
                select
                    pg_catalog.array_agg(((o.combo_no - 1)::bigint * v_bars + o.bar_no)::double precision) as first_bars,
                    pg_catalog.array_agg(o.cash::double precision) as cashes,
                    pg_catalog.array_agg(o.position::double precision) as positions,
                    coalesce(bool_or(o.position < 0), false) as short
                from (select ch.* from changes as ch order by ch.combo_no, ch.bar_no) as o
            ) as a
            cross join lateral strategy.sweep_curves(a.first_bars, a.cashes, a.positions, v_closes_f, v_day_end_bars,
                pg_catalog.cardinality(v_runs), a.short) as v
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
        ),
        -- The combinations run_backtest itself must run (below): a ruin candidate, or a daily return
        -- beyond analytics.return_metrics' range (its 22023).
        figured as (
            select cv.*, sg.last_cash, sg.last_position
            from curves as cv
            inner join segments as sg on cv.combination = sg.combo_no
            where not coalesce(cv.lowest_equity <= sg.ruin_tolerance, false) and not coalesce(cv.best > 1e9, false)
            offset 0
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
            e.final_equity,
            ((e.final_equity / p_capital - 1) * 100)::double precision,
            (v_closes[v_bars] / v_closes[c.warmup + 1] - 1)::double precision * 100,
            (f.lowest_ratio - 1) * 100,
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
        inner join figured as f on c.combo_no = f.combination
        left join trade_figures as t on c.combo_no = t.combo_no
        cross join lateral (
            select (f.last_cash + f.last_position * v_closes[v_bars])::numeric(38, 8) as final_equity
        ) as e
        -- run_backtest's figures through analytics.return_metrics, from the same accumulators.
        cross join lateral analytics.return_ratios(
            pg_catalog.cardinality(v_day_end_bars) - 1, f.mean, f.sxx, f.best, f.worst, f.negative_mean,
            f.negative_syy / nullif(pg_catalog.cardinality(v_day_end_bars) - 1, 0), f.log_wealth, f.log_drawdown, 252
        ) as m;

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
