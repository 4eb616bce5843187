-- depends: strategy/range_bars.sql strategy/sma_crossings.sql strategy/rsi_entries.sql strategy/signal_entries.sql
-- depends: strategy/simulate.sql strategy/last_of_day.sql
-- One backtest of a backtestable strategy over one security's bars (issue 16 §2, DESIGN §5 "Backtests"),
-- stored whole: the decisions come set-based from the type's indicator function (one pass over the bars),
-- strategy.simulate walks them into trades, and one more pass over the bars computes the equity curve's
-- statistics from the trades' states (docs/strategies.md "Cost"). The curve is stored as the bars and the
-- states (strategy.backtest_equity); api.backtest_equity expands it bar by bar, exactly. api.run_backtest authorizes the caller
-- and checks the arguments that need no bars; this checks what does (no bars in the range: P0002; fewer bars
-- than the strategy's window needs: 22023).
-- A strategy whose equity falls to zero or below at a bar's close stops there, as backtesting.py's broker
-- does: the open trade closes at that close (with its commission), the cash is 0 and stays 0.
-- The Sharpe, Sortino and Calmar ratios are analytics.return_metrics of the daily returns of the curve
-- (analytics comes after strategy in config.SCHEMA_ORDER: PL/pgSQL resolves the call when it runs).
create or replace function strategy.run_backtest(
    p_user_id uuid,
    p_strategy_id uuid,
    p_strategy_type text,
    p_parameters jsonb,
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date,
    p_capital numeric,
    p_commission numeric
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_id uuid := pg_catalog.gen_random_uuid();
    v_warmup integer;
    v_reverse boolean := false;
    v_decision_bars integer [];
    v_targets integer [];
    v_fill_ats timestamptz [];
    v_fill_opens numeric [];
    v_trades strategy.simulated_trade [];
    v_change_at timestamptz [];
    v_change_bar integer [];
    v_change_cash numeric [];
    v_change_position numeric [];
    v_cash_f double precision [];
    v_position_f double precision [];
    v_bars integer;
    v_bar_at timestamptz [];
    v_close numeric [];
    v_max_drawdown double precision;
    v_ruin integer;
    v_day_end_bars integer [];
    v_day_end_equity double precision [];
    v_final_equity numeric;
    v_returns double precision [];
    v_metrics analytics.return_metrics_row;
begin
    -- The decisions (each with the start and open of the bar it fills at), and the bar the strategy first
    -- acts on (its warm-up, the start of buy and hold).
    case p_strategy_type
        when 'sma_crossover' then
            v_warmup := (p_parameters ->> 'slow')::integer - 1;
            v_reverse := p_parameters ->> 'mode' = 'long_short';
            select
                coalesce(pg_catalog.array_agg(c.bar_no order by c.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(case when v_reverse or c.direction = 1 then c.direction else 0 end
                    order by c.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(c.fill_at order by c.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(c.fill_open order by c.bar_no), '{}')
            into v_decision_bars, v_targets, v_fill_ats, v_fill_opens
            from strategy.sma_crossings(p_security_id, p_timeframe, p_start, p_end,
                (p_parameters ->> 'fast')::integer, (p_parameters ->> 'slow')::integer) as c;
        when 'rsi_reversion' then
            v_warmup := (p_parameters ->> 'period')::integer;
            select
                coalesce(pg_catalog.array_agg(r.bar_no order by r.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(r.target order by r.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(r.fill_at order by r.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(r.fill_open order by r.bar_no), '{}')
            into v_decision_bars, v_targets, v_fill_ats, v_fill_opens
            from strategy.rsi_entries(p_security_id, p_timeframe, p_start, p_end, (p_parameters ->> 'period')::integer,
                (p_parameters ->> 'oversold')::numeric, (p_parameters ->> 'overbought')::numeric) as r;
        else
            v_warmup := 0;
            select
                coalesce(pg_catalog.array_agg(s.bar_no order by s.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(s.target order by s.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(s.fill_at order by s.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(s.fill_open order by s.bar_no), '{}')
            into v_decision_bars, v_targets, v_fill_ats, v_fill_opens
            from strategy.signal_entries(p_strategy_id, p_security_id, p_timeframe, p_start, p_end) as s;
    end case;

    -- Sizes and amounts beyond the columns (numeric(28,10) units, numeric(38,8) money: a capital of 10^15 on
    -- prices of 10^-8) are a 22023, not a 22003 from the insert; the block undoes what was written.
    begin
        v_trades := array(
            select t
            from strategy.simulate(v_decision_bars, v_targets, v_fill_ats, v_fill_opens, v_reverse, p_capital,
                p_commission) as t
            order by t.trade_no
        );

        -- The curve's states: from bar 0 the capital and no position; then at each bar where a trade opens,
        -- or closes without another opening, the cash and the position from there on, so that the equity at
        -- a bar's close is cash + position × close. Element k of each array is the k-th state.
        select
            pg_catalog.array_agg(c.ts order by c.ts),
            array[0] || pg_catalog.array_agg(c.bar_no order by c.ts),
            array[p_capital] || pg_catalog.array_agg(c.cash order by c.ts),
            array[0::numeric] || pg_catalog.array_agg(c.position order by c.ts)
        into v_change_at, v_change_bar, v_change_cash, v_change_position
        from (
            with steps as (
                select t.*, pg_catalog.lead(t.entry_at) over (order by t.trade_no) as next_entry_at
                from pg_catalog.unnest(v_trades) as t
            )
            select s.entry_at as ts, s.entry_bar as bar_no, s.entry_cash - s.size * s.entry_price as cash, s.size as position
            from steps as s
            union all
            select s.exit_at, s.exit_bar, s.exit_cash, 0
            from steps as s
            where s.exit_at is not null and s.exit_at is distinct from s.next_entry_at
        ) as c;
        v_change_at := coalesce(v_change_at, '{}');
        v_change_bar := coalesce(v_change_bar, '{0}');
        v_change_cash := coalesce(v_change_cash, array[p_capital]);
        v_change_position := coalesce(v_change_position, '{0}');
        -- The statistics (drawdown, daily returns) in double precision (DESIGN §2): a double precision[]
        -- element is read in constant time inside a query, a numeric[] one in time linear in its position.
        v_cash_f := array(select x::double precision from pg_catalog.unnest(v_change_cash) with ordinality as u (x, n)
            order by u.n);
        v_position_f := array(select x::double precision from pg_catalog.unnest(v_change_position)
            with ordinality as u (x, n) order by u.n);

        -- One pass over the bars, in the index's order (no sort): each bar's state is 1 + the states that began
        -- at or before it (a merge join with their starts and a running count), its equity cash + position ×
        -- close, the drawdown against the running peak, the day ends (strategy.last_of_day). The bars' starts
        -- and closes are kept
        -- (aggregated from a subquery ordered by ts, which the windows already are, so that costs nothing).
        -- Ruin is the first close with equity at or below zero, exactly: the double precision equity only
        -- picks the candidates.
        with states as (
            select
                b.bar_no,
                b.ts,
                b.close,
                (count(c.ts) over w + 1)::integer as k,
                pg_catalog.lead(b.ts) over w as next_ts
            from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
            left join pg_catalog.unnest(v_change_at) as c (ts) on b.ts = c.ts
            window w as (order by b.ts rows unbounded preceding)
        ),
        curve as (
            select
                s.bar_no,
                s.ts,
                s.close,
                s.k,
                -- Flat (no position), the equity is the cash: no conversion of the close needed.
                case when v_position_f[s.k] = 0 then v_cash_f[s.k]
                    else v_cash_f[s.k] + v_position_f[s.k] * s.close::double precision end as equity,
                strategy.last_of_day(s.ts, s.next_ts) as day_end
            from states as s
        ),
        peaks as (
            select c.*, max(c.equity) over (order by c.ts rows unbounded preceding) as peak
            from curve as c
            order by c.ts
        )
        select
            count(*)::integer,
            pg_catalog.array_agg(p.ts),
            pg_catalog.array_agg(p.close),
            (min(p.equity / p.peak) - 1) * 100,
            -- Within double precision's rounding of zero (relative to the cash, which is of the order of the
            -- terms of the sum near ruin), decided exactly.
            min(p.bar_no) filter (
                where
                    p.equity <= pg_catalog.abs(v_cash_f[p.k]) * 1e-12
                    and v_change_cash[p.k] + v_change_position[p.k] * p.close <= 0
            ),
            pg_catalog.array_agg(p.bar_no) filter (where p.day_end),
            pg_catalog.array_agg(p.equity) filter (where p.day_end)
        into v_bars, v_bar_at, v_close, v_max_drawdown, v_ruin, v_day_end_bars, v_day_end_equity
        from peaks as p;

        if v_bars = 0 then
            perform app.raise_error('P0002', pg_catalog.format('no %s bars of security %s from %s to %s', p_timeframe,
                p_security_id, p_start, p_end), 'Import bars (tradebase market import) or choose a range that has them.');
        end if;
        if v_bars <= v_warmup then
            perform app.raise_error('22023', pg_catalog.format('the range has %s %s bars of security %s; a %s strategy '
                || 'with these parameters needs at least %s', v_bars, p_timeframe, p_security_id, p_strategy_type,
                v_warmup + 1), 'Widen the range (p_start, p_end) or shorten the strategy''s window.');
        end if;

        if v_ruin is null then
            v_final_equity := (v_change_cash[pg_catalog.cardinality(v_change_cash)]
                + v_change_position[pg_catalog.cardinality(v_change_cash)] * v_close[v_bars])::numeric(38, 8);
        else
            -- Ruin at bar v_ruin's close: the trade open there closes at that close and nothing follows
            -- (backtesting.py's _OutOfMoneyError); from there the state is no cash and no position.
            v_trades := array(
                select case when t.exit_bar is null or t.exit_bar > v_ruin then row(t.trade_no, t.size, t.entry_bar,
                    t.entry_at, t.entry_price, t.entry_cash, v_ruin, v_bar_at[v_ruin + 1], v_close[v_ruin + 1], 0,
                    t.size * (v_close[v_ruin + 1] - t.entry_price)
                    - pg_catalog.abs(t.size) * (t.entry_price + v_close[v_ruin + 1]) * p_commission,
                    pg_catalog.abs(t.size) * (t.entry_price + v_close[v_ruin + 1]) * p_commission
                    )::strategy.simulated_trade else t end
                from pg_catalog.unnest(v_trades) as t
                where t.entry_bar <= v_ruin
                order by t.trade_no
            );
            select
                pg_catalog.array_agg(c.bar_no order by c.n) || v_ruin,
                pg_catalog.array_agg(c.cash order by c.n) || 0::numeric,
                pg_catalog.array_agg(c.position order by c.n) || 0::numeric
            into v_change_bar, v_change_cash, v_change_position
            from rows from (pg_catalog.unnest(v_change_bar), pg_catalog.unnest(v_change_cash),
                pg_catalog.unnest(v_change_position)) with ordinality as c (bar_no, cash, position, n)
            where c.bar_no < v_ruin;
            v_final_equity := 0;
            v_max_drawdown := -100;
            v_day_end_equity := array(
                select case when e.bar_no >= v_ruin then 0 else e.equity end
                from rows from (pg_catalog.unnest(v_day_end_bars), pg_catalog.unnest(v_day_end_equity))
                    with ordinality as e (bar_no, equity, n)
                order by e.n
            );
        end if;

        insert into strategy.backtests (
            id, user_id, strategy_id, security_id, strategy_type, parameters, timeframe, start_date, end_date,
            initial_capital, commission, bars, first_bar_at, last_bar_at, final_equity, return_pct, max_drawdown_pct,
            closed_trades, winning_trades, losing_trades, commissions, exposure_pct
        ) values (
            v_id, p_user_id, p_strategy_id, p_security_id, p_strategy_type, p_parameters, p_timeframe, p_start, p_end,
            p_capital, p_commission, v_bars, v_bar_at[1], v_bar_at[v_bars], p_capital, 0, 0, 0, 0, 0, 0, 0
        );
        insert into strategy.backtest_trades (
            backtest_id, trade_no, user_id, size, entry_bar, entry_at, entry_price, exit_bar, exit_at, exit_price, pnl,
            return_pct, commission
        )
        select
            v_id, t.trade_no, p_user_id, t.size, t.entry_bar, t.entry_at, t.entry_price, t.exit_bar, t.exit_at,
            t.exit_price, t.pnl, (t.pnl / (pg_catalog.abs(t.size) * t.entry_price) * 100)::double precision, t.commission
        from pg_catalog.unnest(v_trades) as t;
        insert into strategy.backtest_equity (
            backtest_id, user_id, bar_at, close, state_bar, state_cash, state_position
        ) values (v_id, p_user_id, v_bar_at, v_close, v_change_bar, v_change_cash, v_change_position);

        -- The figures. Daily returns: the last equity of each UTC day against the previous day's. (Collected
        -- first: `select (f(x)).*` would call return_metrics once per field of its row.)
        select coalesce(pg_catalog.array_agg(d.r order by d.n), '{}')
        into v_returns
        from (
            select
                e.n,
                e.equity / nullif(pg_catalog.lag(e.equity) over (order by e.n), 0) - 1 as r,
                pg_catalog.lag(e.equity) over (order by e.n) as previous
            from pg_catalog.unnest(v_day_end_equity) with ordinality as e (equity, n)
        ) as d
        where d.previous > 0;
        v_metrics := analytics.return_metrics(v_returns);

        update strategy.backtests as b set
            final_equity = v_final_equity,
            return_pct = ((v_final_equity / p_capital - 1) * 100)::double precision,
            buy_hold_return_pct = (v_close[v_bars] / v_close[v_warmup + 1] - 1)::double precision * 100,
            max_drawdown_pct = v_max_drawdown,
            closed_trades = t.closed,
            winning_trades = t.winning,
            losing_trades = t.losing,
            win_rate_pct = t.winning::double precision / nullif(t.closed, 0) * 100,
            profit_factor = t.gains / nullif(-t.losses, 0),
            avg_trade_pct = t.avg_pct,
            best_trade_pct = t.best_pct,
            worst_trade_pct = t.worst_pct,
            commissions = t.commissions,
            exposure_pct = t.exposed::double precision / v_bars * 100,
            sharpe_ratio = v_metrics.sharpe_ratio,
            sortino_ratio = v_metrics.sortino_ratio,
            calmar_ratio = v_metrics.calmar_ratio
        from (
            select
                (count(*) filter (where x.exit_bar is not null))::integer as closed,
                (count(*) filter (where x.pnl > 0))::integer as winning,
                (count(*) filter (where x.pnl < 0))::integer as losing,
                coalesce(sum(x.pnl) filter (where x.pnl > 0), 0)::double precision as gains,
                coalesce(sum(x.pnl) filter (where x.pnl < 0), 0)::double precision as losses,
                avg(x.return_pct) filter (where x.exit_bar is not null) as avg_pct,
                max(x.return_pct) filter (where x.exit_bar is not null) as best_pct,
                min(x.return_pct) filter (where x.exit_bar is not null) as worst_pct,
                coalesce(sum(x.commission) filter (where x.exit_bar is not null), 0) as commissions,
                -- Entry through exit bar of each trade (the open one through the last bar); a reversal's
                -- bar is both a trade's exit and the next one's entry, and is counted once.
                coalesce(sum(coalesce(x.exit_bar, v_bars - 1) - x.entry_bar + 1), 0)
                - count(*) filter (where x.entry_bar = x.previous_exit) as exposed
            from (
                select y.*, pg_catalog.lag(y.exit_bar) over (order by y.trade_no) as previous_exit
                from strategy.backtest_trades as y
                where y.backtest_id = v_id
            ) as x
        ) as t
        where b.id = v_id;
    exception when numeric_value_out_of_range then
        perform app.raise_error('22023', pg_catalog.format('a backtest of %s with a capital of %s on these prices '
            || 'takes sizes or amounts beyond tradebase''s limits (10^18 units, 10^30 of money)', p_strategy_id,
            p_capital), 'Backtest with a smaller capital.');
    end;
    return v_id;
end
$$;

comment on function strategy.run_backtest(uuid, uuid, text, jsonb, uuid, text, date, date, numeric, numeric) is
'Runs and stores one backtest for p_user_id (strategy.backtests, backtest_trades, backtest_equity) with checked '
'parameters and arguments (api.run_backtest checks them); P0002 when the range has no bars, 22023 when it has '
'fewer than the strategy''s window needs or its sizes or amounts exceed the columns. Returns the backtest''s id.';
