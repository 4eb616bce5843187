-- Import validation must never fail on a cast: every part is range-checked before the one cast.
create or replace function market.parse_bar_time(p_text text)
returns timestamptz
language plpgsql
stable
parallel safe
set search_path = ''
as $$
declare
    v_part text[] := pg_catalog.regexp_match(
        pg_catalog.btrim(p_text),
        '^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d{1,6})?))?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2})?)?$'
    );
    v_year integer;
    v_month integer;
    v_day integer;
begin
    if v_part is null then
        return null;
    end if;
    v_year := v_part[1]::integer;
    v_month := v_part[2]::integer;
    v_day := v_part[3]::integer;
    if v_year < 1 or v_month not between 1 and 12 or v_day < 1
        or v_day > pg_catalog.date_part('day', pg_catalog.make_date(v_year, v_month, 1) + interval '1 month - 1 day')
        or coalesce(v_part[4]::integer, 0) > 23 or coalesce(v_part[5]::integer, 0) > 59
        or coalesce(v_part[6]::numeric, 0) >= 60
        or coalesce(v_part[9]::integer, 0) > 15 or coalesce(v_part[10]::integer, 0) > 59 then
        return null;
    end if;
    -- Without an offset the time is UTC.
    return (
        v_part[1] || '-' || v_part[2] || '-' || v_part[3] || ' '
        || coalesce(v_part[4], '00') || ':' || coalesce(v_part[5], '00') || ':' || coalesce(v_part[6], '00')
        || coalesce(v_part[8] || v_part[9] || ':' || coalesce(v_part[10], '00'), '+00:00')
    )::timestamptz;
end
$$;

comment on function market.parse_bar_time(text) is
'The point in time in p_text (YYYY-MM-DD, or with [T ]HH:MM[:SS[.ffffff]] and an optional Z or +-HH[:MM] offset; '
'UTC when none), or null when it is not a valid one.';
