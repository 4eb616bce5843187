-- The curve of each backtest bar by bar, expanded exactly from what strategy.backtest_equity stores per
-- backtest: each bar joined to the last state starting at or before it (width_bucket: a binary search of the
-- states' first bars), equity = cash + position × close (rounded to 8 places as money is stored), drawdown
-- from the running peak in percent (-100 from an equity at or below zero). (unnest of several arrays is
-- syntax of the unqualified name; a view resolves it when it is created.)
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
        e.backtest_id,
        (bs.n - 1)::integer as bar_no,
        bs.ts,
        bs.close,
        bs.position,
        (bs.cash + bs.position * bs.close)::numeric(38, 8) as equity
    from strategy.backtest_equity as e
    cross join lateral (
        select
            b.ts,
            b.close,
            b.n,
            s.cash,
            s.position
        from unnest(e.bar_at, e.close) with ordinality as b (ts, close, n)
        inner join unnest(e.state_cash, e.state_position) with ordinality as s (cash, position, k)
            on s.k = pg_catalog.width_bucket((b.n - 1)::integer, e.state_bar)
    ) as bs
) as c;

comment on view api.backtest_equity is 'The equity curve of your backtests: equity and drawdown at every bar''s close.';
