-- A benchmark's daily returns, aligned with the account snapshots' calendar days (issue 15 §3): the
-- benchmark is worth, at the end of each UTC day d, the close of its security's newest 1d bar that had
-- ended by then (ts <= d 00:00 UTC: a 1d bar stamped d ends at d + 1 00:00), the rule a snapshot values
-- a position by; its return on d is that close over the one of d - 1, less 1. A day without a new bar
-- (a weekend, a holiday) returns 0, as an account holding it would; a day before the first bar has no
-- return. Prices are in the security's currency (no FX conversion).
-- Strict: a NULL benchmark (an account without one) has no returns, no rows.
-- Security definer: analysts read analytics only, not the bars behind it.
create or replace function analytics.benchmark_daily_returns(p_benchmark_id uuid, p_from date, p_to date)
returns table (return_date date, close numeric, daily_return double precision)
language plpgsql
stable
strict
security definer
set search_path = ''
as $$
declare
    v_security_id uuid;
begin
    if not pg_catalog.isfinite(p_from) or not pg_catalog.isfinite(p_to) then
        perform app.raise_error('22023', 'p_from and p_to must be dates', 'Pass the first and the last day.');
    elsif p_from > p_to then
        perform app.raise_error('22023', pg_catalog.format('p_from %s is after p_to %s', p_from, p_to),
            'Pass the first day, then the last.');
    elsif p_to - p_from > 36600 then
        perform app.raise_error('22023', pg_catalog.format('%s to %s is more than 36,600 days', p_from, p_to),
            'Ask for at most a hundred years at a time.');
    end if;
    select b.security_id into v_security_id from market.benchmarks as b where b.id = p_benchmark_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('benchmark %s does not exist', p_benchmark_id), null);
    end if;

    return query
    select d.day, d.close, (d.close / d.previous)::double precision - 1
    from (
        select
            g.day::date as day,
            c.close,
            pg_catalog.lag(c.close) over (order by g.day) as previous
        from pg_catalog.generate_series(p_from - 1, p_to, interval '1 day') as g (day)
        left join lateral (
            select m.close::numeric as close
            from market.market_data as m
            where
                m.security_id = v_security_id and m.timeframe = '1d'
                and m.ts <= (g.day::date::timestamp at time zone 'UTC')
            order by m.ts desc
            limit 1
        ) as c on true
    ) as d
    where d.day >= p_from
    order by d.day;
end
$$;

comment on function analytics.benchmark_daily_returns(uuid, date, date) is
'Per UTC day from p_from to p_to: the close of the benchmark''s security at the end of the day (its newest 1d bar '
'by then) and the day''s return over the day before (0 without a new bar; NULL before the first bar or without a '
'security). NULL arguments: no rows. 22023 for infinite or reversed days or more than 36,600 of them, P0002 for '
'no benchmark.';
