-- How far ahead of the server's clock a time from a client or a price feed may lie (a tick, a bar, a
-- sync, an expiry run): auth.settings clock_skew_seconds, 300 unless set (docs/trading.md, "Limits").
-- A time further ahead would freeze what moves forward only (the latest quote, the bars an order has
-- seen) until the clock caught up. Definer: auth.settings is the owner's, and the bar import of an
-- operator reads it too.
create or replace function auth.clock_skew()
returns interval
language sql
stable
security definer
set search_path = ''
as $$
    select pg_catalog.make_interval(secs => coalesce(
        (select s.value::integer from auth.settings as s where s.name = 'clock_skew_seconds'), 300
    ))
$$;

comment on function auth.clock_skew() is
'How far ahead of the clock a timestamp from a client or feed may lie: auth.settings clock_skew_seconds '
'(default 300 seconds).';
