-- The money-weighted return (DESIGN §5): the annualised internal rate of return of irregular cash flows,
-- actual/365 (Excel's XIRR, pyxirr's default): the rate r > -100 % with Σ aᵢ (1 + r)^(-(dᵢ - d₀)/365) = 0.
-- Solved by bracketing, never by an unguarded Newton step, in x = ln(1 + r), where the value is a sum of
-- exponentials Σ aᵢ e^(-x tᵢ):
-- - flows of the same date are netted first; with no flow left, or all of one sign, there is no rate
--   (NULL and the reason);
-- - every root lies in [x_min, x_max], bounds from the dominant first and last flows (Cauchy's bound for
--   a polynomial, for real exponents): |a_last| e^(-x Δ) ≤ Σ others' |a| below, |a_first| ≤ Σ others' |a|
--   e^(-x t₁) above;
-- - one sign change in the date-ordered flows means exactly one root (Descartes' rule of signs holds for
--   sums of exponentials), bracketed by those bounds; with more sign changes there may be several or
--   none: 400 points from x_min to x_max (dense near 0, sinh-spaced) find the sign changes, the bracket
--   nearest to a rate of 0 is taken, and none means no rate (NULL and the reason);
-- - bisection in the bracket until it is 1e-15 wide (relative above 1), about 60 steps.
-- The value is scaled by e^(-max exponent) at each x, which keeps its sign and its roots and never
-- overflows; x is held to [-36, 709], the rates double precision tells apart from -100 % and from
-- infinity.
create or replace function analytics.xirr(
    p_amounts double precision[],
    p_dates date[],
    out rate double precision,
    out reason text
)
returns record
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
    c_lowest constant double precision := -36;
    c_highest constant double precision := 709;
    c_points constant integer := 400;
    v_a double precision[];
    v_t double precision[];
    v_n integer;
    v_changes integer;
    v_lo double precision;
    v_hi double precision;
    v_g_lo double precision;
    v_g_hi double precision;
    v_mid double precision;
    v_g_mid double precision;
    v_bracket record;
begin
    if p_amounts is null or p_dates is null then
        perform app.raise_error('22023', 'p_amounts and p_dates must not be null', 'Pass one date per amount.');
    elsif pg_catalog.array_ndims(p_amounts) > 1 or pg_catalog.array_ndims(p_dates) > 1 then
        perform app.raise_error('22023', 'p_amounts and p_dates must be one-dimensional arrays', null);
    elsif pg_catalog.cardinality(p_amounts) <> pg_catalog.cardinality(p_dates) then
        perform app.raise_error('22023', pg_catalog.format('%s amounts but %s dates',
            pg_catalog.cardinality(p_amounts), pg_catalog.cardinality(p_dates)), 'Pass one date per amount.');
    elsif pg_catalog.array_position(p_amounts, null) is not null or pg_catalog.array_position(p_dates, null) is not null then
        perform app.raise_error('22023', 'p_amounts and p_dates must not contain nulls', null);
    elsif exists (
        select from pg_catalog.unnest(p_amounts) as u (a)
        where u.a in ('NaN'::double precision, 'Infinity'::double precision, '-Infinity'::double precision)
    ) or exists (select from pg_catalog.unnest(p_dates) as u (d) where not pg_catalog.isfinite(u.d)) then
        perform app.raise_error('22023', 'p_amounts and p_dates must be finite', null);
    end if;

    -- Net flows per date, oldest first, in years of 365 days from the first date.
    select
        pg_catalog.array_agg(f.a order by f.d),
        pg_catalog.array_agg((f.d - f.first_date)::double precision / 365 order by f.d)
    into v_a, v_t
    from (
        select u.d, pg_catalog.sum(u.a) as a, pg_catalog.min(u.d) over () as first_date
        from rows from (pg_catalog.unnest(p_amounts), pg_catalog.unnest(p_dates)) as u (a, d)
        group by u.d
        having pg_catalog.sum(u.a) <> 0
    ) as f;
    v_n := coalesce(pg_catalog.cardinality(v_a), 0);
    if v_n = 0 then
        reason := 'no cash flows (or they net to zero on every date): the rate is undefined';
        return;
    end if;
    select pg_catalog.count(*) filter (where pg_catalog.sign(s.a) <> pg_catalog.sign(s.previous))
    into v_changes
    from (
        select u.a, pg_catalog.lag(u.a) over (order by u.n) as previous
        from pg_catalog.unnest(v_a) with ordinality as u (a, n)
    ) as s;
    if v_changes = 0 then
        reason := 'every flow has the same sign (after netting flows of the same date): no rate makes their '
            || 'value zero';
        return;
    end if;

    -- Bounds of every root (see the header), a step wider so the ends are strictly outside.
    v_lo := -(greatest(0, pg_catalog.ln((
        select pg_catalog.sum(pg_catalog.abs(u.a)) from pg_catalog.unnest(v_a[1:v_n - 1]) as u (a)
    ) / pg_catalog.abs(v_a[v_n])) / (v_t[v_n] - v_t[v_n - 1]))) - 1;
    v_hi := greatest(0, pg_catalog.ln((
        select pg_catalog.sum(pg_catalog.abs(u.a)) from pg_catalog.unnest(v_a[2:v_n]) as u (a)
    ) / pg_catalog.abs(v_a[1])) / v_t[2]) + 1;
    v_lo := greatest(v_lo, c_lowest);
    v_hi := least(v_hi, c_highest);

    if v_changes = 1 then
        select pg_catalog.sum(u.a * pg_catalog.exp(greatest(-v_lo * u.t - greatest(0, -v_lo * v_t[v_n]), -700)))
        into v_g_lo
        from rows from (pg_catalog.unnest(v_a), pg_catalog.unnest(v_t)) as u (a, t);
        select pg_catalog.sum(u.a * pg_catalog.exp(greatest(-v_hi * u.t - greatest(0, -v_hi * v_t[v_n]), -700)))
        into v_g_hi
        from rows from (pg_catalog.unnest(v_a), pg_catalog.unnest(v_t)) as u (a, t);
        if pg_catalog.sign(v_g_lo) = pg_catalog.sign(v_g_hi) then
            reason := 'the rate lies below -0.99999999999999978 or above 8e307, beyond double precision';
            return;
        end if;
    else
        -- The sign changes on a grid dense near x = 0: the bracket nearest to a rate of 0 %.
        select g.x_lo, g.x_hi, g.g_lo, g.g_hi into v_bracket
        from (
            select
                p.x as x_lo, pg_catalog.lead(p.x) over (order by p.x) as x_hi,
                p.g as g_lo, pg_catalog.lead(p.g) over (order by p.x) as g_hi
            from (
                select k.x, pg_catalog.sum(
                    u.a * pg_catalog.exp(greatest(-k.x * u.t - greatest(0, -k.x * v_t[v_n]), -700))
                ) as g
                from (
                    select pg_catalog.sinh(
                        pg_catalog.asinh(v_lo) + (pg_catalog.asinh(v_hi) - pg_catalog.asinh(v_lo)) * i / c_points
                    ) as x
                    from pg_catalog.generate_series(0, c_points) as i
                    union
                    select 0 where v_lo < 0 and v_hi > 0
                ) as k
                cross join rows from (pg_catalog.unnest(v_a), pg_catalog.unnest(v_t)) as u (a, t)
                group by k.x
            ) as p
        ) as g
        where g.g_lo = 0 or pg_catalog.sign(g.g_lo) * pg_catalog.sign(g.g_hi) < 0
        order by least(pg_catalog.abs(g.x_lo), pg_catalog.abs(g.x_hi)), g.x_lo
        limit 1;
        if not found then
            reason := pg_catalog.format(
                'no rate: the flows change sign %s times, but their value does not cross zero for any rate from '
                || '%s to %s', v_changes, pg_catalog.exp(v_lo) - 1, pg_catalog.exp(v_hi) - 1
            );
            return;
        elsif v_bracket.g_lo = 0 then
            rate := pg_catalog.exp(v_bracket.x_lo) - 1;
            return;
        end if;
        v_lo := v_bracket.x_lo;
        v_hi := v_bracket.x_hi;
        v_g_lo := v_bracket.g_lo;
    end if;

    -- Bisection: the bracket halves until it is 1e-15 wide (relative above 1) or cannot shrink.
    while v_hi - v_lo > 1e-15 * greatest(1, pg_catalog.abs(v_lo)) loop
        v_mid := v_lo + (v_hi - v_lo) / 2;
        exit when v_mid <= v_lo or v_mid >= v_hi;
        select pg_catalog.sum(u.a * pg_catalog.exp(greatest(-v_mid * u.t - greatest(0, -v_mid * v_t[v_n]), -700)))
        into v_g_mid
        from rows from (pg_catalog.unnest(v_a), pg_catalog.unnest(v_t)) as u (a, t);
        if v_g_mid = 0 then
            v_lo := v_mid;
            v_hi := v_mid;
        elsif pg_catalog.sign(v_g_mid) = pg_catalog.sign(v_g_lo) then
            v_lo := v_mid;
            v_g_lo := v_g_mid;
        else
            v_hi := v_mid;
        end if;
    end loop;
    rate := pg_catalog.exp(v_lo + (v_hi - v_lo) / 2) - 1;
end
$$;

comment on function analytics.xirr(double precision[], date[]) is
'The annualised internal rate of return (XIRR, actual/365) of p_amounts on p_dates: rate with Σ a (1 + rate)^(-days/365) '
'= 0, solved by bisection in a bracket of the root (to 1e-15 in ln(1 + rate)); with several roots, the one nearest '
'to 0 %. Rate NULL and reason set when none exists: no flows, flows of one sign, or no sign change of their value. '
'22023 for null arrays or elements, non-finite values, or arrays of different lengths.';
