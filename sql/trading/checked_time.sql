-- Every point in time an app or feed passes in that moves something forward (a tick's time, a sync's
-- start and end, an expiry run): finite, and no further ahead of the clock than auth.clock_skew()
-- (5 minutes unless set), else a 22023 naming the argument. One tick stamped years ahead would
-- otherwise become the quote that every later tick is too old to replace (docs/trading.md, "Limits").
-- Volatile: it reads the clock (clock_timestamp, so a long transaction is not held to its start).
create or replace function trading.checked_time(p_at timestamptz, p_argument text)
returns timestamptz
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_skew interval;
begin
    if p_at is null or not pg_catalog.isfinite(p_at) then
        perform app.raise_error('22023', pg_catalog.format('%s must be a point in time, got %s', p_argument,
            coalesce(p_at::text, 'null')), 'Pass a finite timestamp with a time zone.');
    end if;
    v_skew := auth.clock_skew();
    if p_at > pg_catalog.clock_timestamp() + v_skew then
        perform app.raise_error('22023', pg_catalog.format('%s %s lies more than %s ahead of the clock (%s)',
            p_argument, p_at, v_skew, pg_catalog.clock_timestamp()),
            'Send the time the event happened; a clock that runs ahead needs fixing (auth.settings '
            'clock_skew_seconds sets the tolerance).');
    end if;
    return p_at;
end
$$;

comment on function trading.checked_time(timestamptz, text) is
'p_at when it is finite and at most auth.clock_skew() (default 5 minutes) ahead of clock_timestamp(); 22023 '
'naming p_argument otherwise.';
