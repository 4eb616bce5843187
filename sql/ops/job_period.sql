-- The period a job run covers: the latest one (minute, hour, day or month, UTC) that has ended at p_as_of.
create or replace function ops.job_period(
    p_period text, p_as_of timestamptz, out period_start timestamptz, out period_end timestamptz
)
returns record
language sql
stable
strict
set search_path = ''
as $$
    select
        (pg_catalog.date_trunc(p_period, p_as_of at time zone 'UTC') - ('1 ' || p_period)::interval)
        at time zone 'UTC',
        pg_catalog.date_trunc(p_period, p_as_of at time zone 'UTC') at time zone 'UTC'
$$;

comment on function ops.job_period(text, timestamptz) is
'[period_start, period_end): the latest UTC minute, hour, day or month (p_period) that has ended at p_as_of.';
