-- Import validation must never fail on a cast: the shape and every range are checked before the one
-- cast. A boolean regex without captures is an order of magnitude faster than regexp_match.
create or replace function market.parse_bar_time(p_text text)
returns timestamptz
language plpgsql
stable
parallel safe
as $$
declare
    v_text text := pg_catalog.btrim(p_text);
    v_year integer;
    v_month integer;
begin
    if v_text is null or v_text !~ (
        '^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])'
        || '(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?)?'
        || '\s*(?:Z|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)?$'
    ) then
        return null;
    end if;
    v_year := pg_catalog.substr(v_text, 1, 4)::integer;
    v_month := pg_catalog.substr(v_text, 6, 2)::integer;
    if v_year < 1 then
        return null;
    end if;
    if pg_catalog.substr(v_text, 9, 2)::integer
        > pg_catalog.date_part('day', pg_catalog.make_date(v_year, v_month, 1) + interval '1 month - 1 day') then
        return null;
    end if;
    -- Without an offset the time is UTC (the date part's dashes end at position 8).
    if pg_catalog.substr(v_text, 11) !~ '[Z+-]' then
        v_text := v_text || case when pg_catalog.length(v_text) = 10 then ' 00:00+00' else '+00' end;
    end if;
    return v_text::timestamptz;
end
$$;

comment on function market.parse_bar_time(text) is
'The point in time in p_text (YYYY-MM-DD, or with [T ]HH:MM[:SS[.ffffff]] and an optional Z or +-HH[:MM] offset; '
'UTC when none), or null when it is not a valid one.';
