-- depends: strategy/range_bars.sql
-- The decisions of a signals strategy: each recorded signal of the security belongs to the last bar of the
-- range that starts at or before its signal_at (taken at that bar's close, filled at the next bar's open);
-- of several on one bar the latest counts. Targets: buy 1, sell -1, close 0; each with the bar it fills at
-- (the next one: its start and open).
drop function if exists strategy.signal_entries(uuid, uuid, text, date, date);
create or replace function strategy.signal_entries(
    p_strategy_id uuid,
    p_security_id uuid,
    p_timeframe text,
    p_start date,
    p_end date
)
returns table (bar_no integer, target integer, fill_at timestamptz, fill_open numeric)
language sql
stable
as $$
    with bars as (
        select
            b.bar_no,
            b.ts,
            pg_catalog.lead(b.ts) over w as next_ts,
            pg_catalog.lead(b.open) over w as next_open
        from strategy.range_bars(p_security_id, p_timeframe, p_start, p_end) as b
        window w as (order by b.ts)
    )
    select distinct on (b.bar_no)
        b.bar_no,
        case s.action when 'buy' then 1 when 'sell' then -1 else 0 end,
        b.next_ts,
        b.next_open
    from bars as b
    inner join strategy.signals as s
        on
            s.strategy_id = p_strategy_id
            and s.security_id = p_security_id
            and s.signal_at >= b.ts
            and (s.signal_at < b.next_ts or (b.next_ts is null and s.signal_at < (p_end + 1)::timestamp at time zone 'UTC'))
    order by b.bar_no, s.signal_at desc
$$;

comment on function strategy.signal_entries(uuid, uuid, text, date, date) is
'The bars (strategy.range_bars numbering) a signals strategy acts on for one security: target 1 (buy), -1 (sell) '
'or 0 (close), the latest signal of each bar, with the start and open of the next bar (null after the last).';
