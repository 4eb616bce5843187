-- The curve of each backtest bar by bar, expanded exactly from what strategy.backtest_equity stores per
-- backtest, in time linear in its bars: each bar's state is k = width_bucket(bar, the states' first bars)
-- (a binary search), and the state's cash and position are read only at the bars where k changes, as steps
-- from the previous state's, which running sums carry to every bar (a numeric[] element is read in time
-- linear in its position, so reading it at every bar, or joining the bars to the states, would be
-- quadratic). Equity = cash + position × close rounded to 8 places, as money is stored; drawdown from the
-- running peak in percent (-100 from an equity at or below zero). (unnest of several arrays is syntax of the
-- unqualified name; a view resolves it when it is created.)
create or replace view api.backtest_equity with (security_invoker = true) as
select
    c.backtest_id,
    c.bar_no,
    c.ts,
    c.close::numeric(24, 8) as close,
    c.position::numeric(28, 10) as position,
    c.equity,
    case
        when c.equity <= 0 then -100
        else ((c.equity / max(c.equity) over (partition by c.backtest_id order by c.bar_no) - 1) * 100)::double precision
    end as drawdown_pct
from (
    select
        s.backtest_id,
        s.bar_no,
        s.ts,
        s.close,
        sum(s.position_step) over w as position,
        (sum(s.cash_step) over w + sum(s.position_step) over w * s.close)::numeric(38, 8) as equity
    from (
        select
            k.backtest_id,
            k.bar_no,
            k.ts,
            k.close,
            case
                when k.state = k.previous_state then 0
                else k.state_cash[k.state] - coalesce(k.state_cash[nullif(k.previous_state, 0)], 0)
            end as cash_step,
            case
                when k.state = k.previous_state then 0
                else k.state_position[k.state] - coalesce(k.state_position[nullif(k.previous_state, 0)], 0)
            end as position_step
        from (
            select
                e.backtest_id,
                e.state_cash,
                e.state_position,
                (b.n - 1)::integer as bar_no,
                b.ts,
                b.close,
                pg_catalog.width_bucket((b.n - 1)::integer, f.first_bars) as state,
                pg_catalog.width_bucket((b.n - 2)::integer, f.first_bars) as previous_state
            from strategy.backtest_equity as e
            -- The states' first bars read (detoasted) once per backtest, not once per bar: a function in FROM is
            -- evaluated once per row of e, where the same call in each bar's expression would copy them per bar.
            cross join lateral pg_catalog.array_cat(e.state_bar, '{}'::integer[]) as f (first_bars)
            cross join lateral unnest(e.bar_at, e.close) with ordinality as b (ts, close, n)
        ) as k
        -- Computed here, before the windows sort the rows: the sort then carries the steps, not the arrays.
        offset 0  -- noqa: AM09
    ) as s
    window w as (partition by s.backtest_id order by s.bar_no rows unbounded preceding)
) as c;

comment on view api.backtest_equity is 'The equity curve of your backtests: equity and drawdown at every bar''s close.';
