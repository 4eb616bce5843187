-- depends: strategy/range_bars.sql strategy/sma_crossings.sql strategy/rsi_entries.sql strategy/signal_entries.sql
-- depends: strategy/simulate.sql
-- One backtest of a backtestable strategy over one security's bars (issue 16 §2, DESIGN §5 "Backtests"),
-- stored whole: the decisions come set-based from the type's indicator function, strategy.simulate walks
-- them into trades, and the equity curve, drawdowns and figures are computed set-based from the bars and
-- the trades. api.run_backtest authorizes the caller and checks the arguments that need no bars; this
-- checks what does (no bars in the range: P0002; fewer bars than the strategy's window needs: 22023).
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
    v_bars integer;
    v_opens numeric [];
    v_first_at timestamptz;
    v_last_at timestamptz;
    v_warmup integer;
    v_decision_bars integer [];
    v_targets integer [];
    v_reverse boolean := false;
    v_ruin integer;
    v_ruin_close numeric;
    v_returns double precision [];
    v_metrics analytics.return_metrics_row;
begin
    select count(*)::integer, pg_catalog.array_agg(b.open order by b.bar_no), min(b.ts), max(b.ts)
    into v_bars, v_opens, v_first_at, v_last_at
    from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b;
    if v_bars = 0 then
        perform app.raise_error('P0002', pg_catalog.format('no %s bars of security %s from %s to %s', p_timeframe,
            p_security_id, p_start, p_end), 'Import bars (tradebase market import) or choose a range that has them.');
    end if;

    -- The decisions, and the bar the strategy first acts on (its warm-up, the start of buy and hold).
    case p_strategy_type
        when 'sma_crossover' then
            v_warmup := (p_parameters ->> 'slow')::integer - 1;
            v_reverse := p_parameters ->> 'mode' = 'long_short';
            select
                coalesce(pg_catalog.array_agg(c.bar_no order by c.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(case when v_reverse or c.direction = 1 then c.direction else 0 end
                    order by c.bar_no), '{}')
            into v_decision_bars, v_targets
            from strategy.sma_crossings(p_security_id, p_timeframe, p_start, p_end,
                (p_parameters ->> 'fast')::integer, (p_parameters ->> 'slow')::integer) as c;
        when 'rsi_reversion' then
            v_warmup := (p_parameters ->> 'period')::integer;
            select
                coalesce(pg_catalog.array_agg(r.bar_no order by r.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(r.target order by r.bar_no), '{}')
            into v_decision_bars, v_targets
            from strategy.rsi_entries(p_security_id, p_timeframe, p_start, p_end, (p_parameters ->> 'period')::integer,
                (p_parameters ->> 'oversold')::numeric, (p_parameters ->> 'overbought')::numeric) as r;
        else
            v_warmup := 0;
            select
                coalesce(pg_catalog.array_agg(s.bar_no order by s.bar_no), '{}'),
                coalesce(pg_catalog.array_agg(s.target order by s.bar_no), '{}')
            into v_decision_bars, v_targets
            from strategy.signal_entries(p_strategy_id, p_security_id, p_timeframe, p_start, p_end) as s;
    end case;
    if v_bars <= v_warmup then
        perform app.raise_error('22023', pg_catalog.format('the range has %s %s bars of security %s; a %s strategy with '
            || 'these parameters needs at least %s', v_bars, p_timeframe, p_security_id, p_strategy_type, v_warmup + 1),
            'Widen the range (p_start, p_end) or shorten the strategy''s window.');
    end if;

    -- Sizes and amounts beyond the columns (numeric(28,10) units, numeric(38,8) money: a capital of 10^15 on
    -- prices of 10^-8) are a 22023, not a 22003 from the insert; the block undoes what was written.
    begin
        insert into strategy.backtests (
            id, user_id, strategy_id, security_id, strategy_type, parameters, timeframe, start_date, end_date,
            initial_capital, commission, bars, first_bar_at, last_bar_at, final_equity, return_pct, max_drawdown_pct,
            closed_trades, winning_trades, losing_trades, commissions, exposure_pct
        ) values (
            v_id, p_user_id, p_strategy_id, p_security_id, p_strategy_type, p_parameters, p_timeframe, p_start, p_end,
            p_capital, p_commission, v_bars, v_first_at, v_last_at, p_capital, 0, 0, 0, 0, 0, 0, 0
        );

        -- The trades, and the equity at every bar's close: the state (size, entry price, cash) changes at the
        -- bars where a trade opens, or closes without another opening; each bar carries the last change at or
        -- before it (a running count numbers the changes, first_value reads each one's state).
        with trades as materialized (
            select t.*
            from strategy.simulate(v_opens, v_decision_bars, v_targets, v_reverse, p_capital, p_commission) as t
        ),
        stored_trades as (
            insert into strategy.backtest_trades (
                backtest_id, trade_no, user_id, size, entry_bar, entry_at, entry_price, exit_bar, exit_at, exit_price, pnl,
                return_pct, commission
            )
            select
                v_id, t.trade_no, p_user_id, t.size, t.entry_bar, e.ts, t.entry_price, t.exit_bar, x.ts, t.exit_price,
                t.pnl, (t.pnl / (pg_catalog.abs(t.size) * t.entry_price) * 100)::double precision, t.commission
            from trades as t
            inner join strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as e on t.entry_bar = e.bar_no
            left join strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as x on t.exit_bar = x.bar_no
        ),
        changes as (
            select t.entry_bar as bar_no, t.size, t.entry_price, t.entry_cash as cash
            from trades as t
            union all
            select t.exit_bar, 0, 0, t.exit_cash
            from trades as t
            where t.exit_bar is not null and not exists (select from trades as n where n.entry_bar = t.exit_bar)
        ),
        marked as (
            select
                b.bar_no,
                b.ts,
                b.close,
                c.size,
                c.entry_price,
                c.cash,
                count(c.bar_no) over (order by b.bar_no) as change_no
            from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
            left join changes as c on b.bar_no = c.bar_no
        ),
        curve as (
            select
                m.bar_no,
                m.ts,
                m.close,
                coalesce(pg_catalog.first_value(m.size) over w, 0) as position,
                coalesce(pg_catalog.first_value(m.cash) over w, p_capital)
                + coalesce(pg_catalog.first_value(m.size) over w * (m.close - pg_catalog.first_value(m.entry_price) over w), 0)
                as equity
            from marked as m
            window w as (partition by m.change_no order by m.bar_no)
        )
        insert into strategy.backtest_equity (backtest_id, bar_no, user_id, ts, close, position, equity, drawdown_pct)
        select
            v_id, c.bar_no, p_user_id, c.ts, c.close, c.position, c.equity,
            case when c.equity <= 0 then -100 else
                ((c.equity / max(c.equity) over (order by c.bar_no) - 1) * 100)::double precision end
        from curve as c;

        -- Ruin: from the first close with equity at or below zero the trade open there closes at that close and
        -- nothing follows (backtesting.py's _OutOfMoneyError).
        select e.bar_no, e.close into v_ruin, v_ruin_close
        from strategy.backtest_equity as e
        where e.backtest_id = v_id and e.equity <= 0
        order by e.bar_no limit 1;
        if v_ruin is not null then
            delete from strategy.backtest_trades as t where t.backtest_id = v_id and t.entry_bar > v_ruin;
            update strategy.backtest_trades as t set
                exit_bar = v_ruin,
                exit_at = (select e.ts from strategy.backtest_equity as e where e.backtest_id = v_id and e.bar_no = v_ruin),
                exit_price = v_ruin_close,
                pnl = t.size * (v_ruin_close - t.entry_price) - (pg_catalog.abs(t.size) * t.entry_price * p_commission)
                - pg_catalog.abs(t.size) * v_ruin_close * p_commission,
                return_pct = ((t.size * (v_ruin_close - t.entry_price)
                    - pg_catalog.abs(t.size) * (t.entry_price + v_ruin_close) * p_commission)
                    / (pg_catalog.abs(t.size) * t.entry_price) * 100)::double precision,
                commission = pg_catalog.abs(t.size) * (t.entry_price + v_ruin_close) * p_commission
            where t.backtest_id = v_id and t.entry_bar <= v_ruin and (t.exit_bar is null or t.exit_bar > v_ruin);
            update strategy.backtest_equity as e set equity = 0, position = 0, drawdown_pct = -100
            where e.backtest_id = v_id and e.bar_no >= v_ruin;
        end if;

        -- The figures. Daily returns: the last equity of each UTC day against the previous day's. (Collected
        -- first: `select (f(x)).*` would call return_metrics once per field of its row.)
        select coalesce(pg_catalog.array_agg(d.r order by d.day), '{}')
        into v_returns
        from (
            select
                l.day,
                l.equity / nullif(pg_catalog.lag(l.equity) over (order by l.day), 0) - 1 as r,
                pg_catalog.lag(l.equity) over (order by l.day) as previous
            from (
                select distinct on ((e.ts at time zone 'UTC')::date)
                    (e.ts at time zone 'UTC')::date as day,
                    e.equity::double precision as equity
                from strategy.backtest_equity as e
                where e.backtest_id = v_id
                order by (e.ts at time zone 'UTC')::date, e.bar_no desc
            ) as l
        ) as d
        where d.previous > 0;
        v_metrics := analytics.return_metrics(v_returns);

        update strategy.backtests as b set
            final_equity = f.final_equity,
            return_pct = ((f.final_equity / p_capital - 1) * 100)::double precision,
            buy_hold_return_pct = f.buy_hold,
            max_drawdown_pct = f.max_drawdown,
            closed_trades = t.closed,
            winning_trades = t.winning,
            losing_trades = t.losing,
            win_rate_pct = t.winning::double precision / nullif(t.closed, 0) * 100,
            profit_factor = t.gains / nullif(-t.losses, 0),
            avg_trade_pct = t.avg_pct,
            best_trade_pct = t.best_pct,
            worst_trade_pct = t.worst_pct,
            commissions = t.commissions,
            exposure_pct = f.exposed::double precision / v_bars * 100,
            sharpe_ratio = v_metrics.sharpe_ratio,
            sortino_ratio = v_metrics.sortino_ratio,
            calmar_ratio = v_metrics.calmar_ratio
        from (
            select
                (select e.equity from strategy.backtest_equity as e where e.backtest_id = v_id and e.bar_no = v_bars - 1)
                as final_equity,
                (
                    (select e.close from strategy.backtest_equity as e where e.backtest_id = v_id and e.bar_no = v_bars - 1)
                    / (select e.close from strategy.backtest_equity as e where e.backtest_id = v_id and e.bar_no = v_warmup)
                    - 1
                )::double precision * 100 as buy_hold,
                (select min(e.drawdown_pct) from strategy.backtest_equity as e where e.backtest_id = v_id) as max_drawdown,
                (
                    -- Entry through exit bar of each trade (the open one through the last bar); a reversal's
                    -- bar is both a trade's exit and the next one's entry, and is counted once.
                    select coalesce(sum(coalesce(x.exit_bar, v_bars - 1) - x.entry_bar + 1), 0)
                        - count(*) filter (where x.entry_bar = x.previous_exit)
                    from (
                        select
                            y.entry_bar,
                            y.exit_bar,
                            pg_catalog.lag(y.exit_bar) over (order by y.trade_no) as previous_exit
                        from strategy.backtest_trades as y
                        where y.backtest_id = v_id
                    ) as x
                ) as exposed
        ) as f,
        (
            select
                (count(*) filter (where x.exit_bar is not null))::integer as closed,
                (count(*) filter (where x.pnl > 0))::integer as winning,
                (count(*) filter (where x.pnl < 0))::integer as losing,
                coalesce(sum(x.pnl) filter (where x.pnl > 0), 0)::double precision as gains,
                coalesce(sum(x.pnl) filter (where x.pnl < 0), 0)::double precision as losses,
                avg(x.return_pct) filter (where x.exit_bar is not null) as avg_pct,
                max(x.return_pct) filter (where x.exit_bar is not null) as best_pct,
                min(x.return_pct) filter (where x.exit_bar is not null) as worst_pct,
                coalesce(sum(x.commission) filter (where x.exit_bar is not null), 0) as commissions
            from strategy.backtest_trades as x
            where x.backtest_id = v_id
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
