-- The crossings of many sma_crossover combinations at once (a parameter sweep's decisions: docs/strategies.md
-- "Sweeps"), with strategy.sma_crossings' rule: combination j (fast p_fast[j], slow p_slow[j]) crosses at
-- bar i (from bar slow on) when slow × (sum of the last fast closes) − fast × (sum of the last slow closes)
-- is strictly negative at i − 1 and strictly positive at i (direction 1), or the reverse (-1).
-- p_totals are the closes' running totals in units of 10^-8 (the closes' scale) after a leading 0: every
-- window sum is a difference of two of them, and the comparison is exact integer arithmetic. The caller
-- makes sure that nothing overflows a bigint (2 × slow × fast × the largest close, and the last total, below
-- 2^63 units); strategy.sweep_backtest falls back to sma_crossings otherwise.
-- Why dynamic SQL: one row per bar carries every combination as a column (its two differences, then an
-- aggregate of its crossing bars), so a sweep costs a few operations per combination and bar instead of a
-- row per combination and bar (docs/strategies.md, "Cost"). The statement is built from integers only.
create or replace function strategy.sweep_crossings(p_totals bigint[], p_fast integer[], p_slow integer[])
returns table (combination integer, bar_no integer, direction integer)
language plpgsql
immutable
set search_path = ''
as $$
declare
    -- Combinations per statement: each takes three columns of a row (PostgreSQL allows 1,664).
    c_chunk constant integer := 200;
    v_sums text;
    v_differences text;
    v_crossings text;
    v_values text;
begin
    if pg_catalog.cardinality(p_fast) is distinct from pg_catalog.cardinality(p_slow) then
        perform app.raise_error('22023', 'p_fast and p_slow must hold one window length per combination', null);
    end if;
    if p_totals is null then
        return;
    end if;
    for v_first in 1 .. coalesce(pg_catalog.cardinality(p_fast), 0) by c_chunk loop
        -- Per window length k its sums ending at bar i (s_k) and at bar i - 1 (p_k); NULL before the
        -- window is full.
        select pg_catalog.string_agg(pg_catalog.format(
            '$1[i + 2] - $1[i + 2 - %1$s] as s%1$s, $1[i + 1] - $1[i + 1 - %1$s] as p%1$s', l.k), ', ')
        into v_sums
        from (
            select distinct w.k
            from pg_catalog.unnest(p_fast[v_first:v_first + c_chunk - 1] || p_slow[v_first:v_first + c_chunk - 1])
                as w (k)
        ) as l;
        -- Per combination: its difference at i (d) and at i - 1 (q); its crossings, each bar as ±(i + 1),
        -- the sign the direction; and the row that unpivots them.
        select
            pg_catalog.string_agg(pg_catalog.format('%1$s::bigint * b.s%2$s - %2$s::bigint * b.s%1$s as d%3$s, '
                || '%1$s::bigint * b.p%2$s - %2$s::bigint * b.p%1$s as q%3$s', c.slow, c.fast, c.j), ', '),
            pg_catalog.string_agg(pg_catalog.format('pg_catalog.array_agg(case when d.d%1$s > 0 then d.i + 1 '
                || 'else -d.i - 1 end) filter (where (d.d%1$s > 0 and d.q%1$s < 0) or (d.d%1$s < 0 and d.q%1$s > 0)) '
                || 'as c%1$s', c.j), ', '),
            pg_catalog.string_agg(pg_catalog.format('(%1$s, a.c%1$s)', c.j), ', ')
        into v_differences, v_crossings, v_values
        from rows from (pg_catalog.unnest(p_fast), pg_catalog.unnest(p_slow)) with ordinality as c (fast, slow, j)
        where c.j between v_first and v_first + c_chunk - 1;

        return query execute pg_catalog.format($sql$
            select v.combination, pg_catalog.abs(e.event) - 1, case when e.event > 0 then 1 else -1 end
            from (
                select %s
                from (
                    select b.i, %s
                    from (
                        select i, %s
                        from pg_catalog.generate_series(0, pg_catalog.cardinality($1) - 2) as i
                        offset 0
                    ) as b
                    offset 0
                ) as d
            ) as a
            cross join lateral (values %s) as v (combination, events)
            cross join lateral pg_catalog.unnest(v.events) as e (event)
        $sql$, v_crossings, v_differences, v_sums, v_values) using p_totals;
    end loop;
end
$$;

comment on function strategy.sweep_crossings(bigint[], integer[], integer[]) is
'The crossings (combination = position in p_fast/p_slow, bar_no from 0, direction 1 up or -1 down) of every '
'sma_crossover combination (p_fast[j], p_slow[j]) over closes whose running totals in 10^-8 units, after a '
'leading 0, are p_totals: strategy.sma_crossings'' exact rule, for a parameter sweep. 22023 when the two arrays '
'differ in length; no rows for NULL totals. The caller keeps the arithmetic inside bigint.';
