-- Whether a bar starting at p_start is the last of its UTC day, given the next bar's start (null after the
-- last bar): the daily returns of a backtest's figures are those of these bars' equity. date_bin counts
-- whole days since the epoch, so no time zone is involved. SQL, without strict or a SET clause, so that it
-- is inlined where it is used (strategy.run_backtest, strategy.sweep_backtest).
create or replace function strategy.last_of_day(p_start timestamptz, p_next_start timestamptz)
returns boolean
language sql
immutable
as $$
    select
        p_next_start is null
        or pg_catalog.date_bin('1 day', p_next_start, timestamptz '1970-01-01 00:00+00')
        <> pg_catalog.date_bin('1 day', p_start, timestamptz '1970-01-01 00:00+00')
$$;

comment on function strategy.last_of_day(timestamptz, timestamptz) is
'True when a bar starting at p_start is the last of its UTC day: the next bar (p_next_start, null after the last '
'bar) starts on another UTC day.';
