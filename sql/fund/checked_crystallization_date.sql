-- A fund's crystallization date as a manager may set it (docs/funds.md "Crystallization date"): a day
-- from today (UTC) to a year ahead. A day in the past would crystallize at the next strike, one further
-- ahead would let a fund go more than a year without crystallizing (ESMA: at most once a year, and the
-- fee period of retail funds is a year). Returns the date; 22023 with the allowed range otherwise.
create or replace function fund.checked_crystallization_date(p_date date, p_name text)
returns date
language plpgsql
stable
set search_path = ''
as $$
declare
    v_today date := (pg_catalog.now() at time zone 'UTC')::date;
    v_last date := (v_today + interval '1 year')::date;
begin
    if p_date is null or not pg_catalog.isfinite(p_date) or p_date < v_today or p_date > v_last then
        perform app.raise_error('22023', pg_catalog.format('%s must be a day from %s to %s, got %s',
            p_name, v_today, v_last, coalesce(p_date::text, 'null')),
            pg_catalog.format('Pick a day from today (%s, UTC) to a year ahead (%s).', v_today, v_last));
    end if;
    return p_date;
end
$$;

comment on function fund.checked_crystallization_date(date, text) is
'Returns p_date when it is a day from today (UTC) to a year ahead, the range a manager may set a fund''s '
'crystallization date in; 22023 naming p_name and the range otherwise (a null or infinite date included).';
