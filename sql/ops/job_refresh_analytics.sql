-- The refresh_analytics job, and the body of api.refresh_analytics: the analysts' materialized views
-- refreshed concurrently (readers keep the previous rows until the refresh commits; the unique index of
-- each makes that possible). A refresh takes the data as it is now, so the period is not used. Runs as
-- the owner (the job runner, or api.refresh_analytics as definer): only the owner may refresh.
-- jit = off: the summary's estimated cost passes jit_above_cost, and compiling it took about 1 s of a
-- 1.5 s refresh over 10,000 accounts and 1,000,000 postings (0.6 s without; EXPLAIN ANALYZE).
-- default_statistics_target = 1: a concurrent refresh ANALYZEs the two temporary tables it fills (the new
-- rows, then the difference) only to plan its own joins on the unique key; the full statistics of every
-- column took about a sixth of the refresh (docs/analytics.md, "Analysts' views").
create or replace function ops.job_refresh_analytics(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
set jit = off
set default_statistics_target = 1
as $$
begin
    perform p_period_start, p_period_end;
    refresh materialized view concurrently analytics.portfolio_summary;
    return (select pg_catalog.count(*) from analytics.portfolio_summary);
end
$$;

comment on function ops.job_refresh_analytics(timestamptz, timestamptz) is
'Job refresh_analytics (and api.refresh_analytics): refreshes analytics.portfolio_summary concurrently with the '
'data as it is now (the period is not used); returns its number of rows.';
