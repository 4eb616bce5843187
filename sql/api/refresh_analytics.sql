-- Housekeeping (operators): the analysts' materialized views refreshed now, besides the daily
-- refresh_analytics job (ops.jobs), which runs the same function.
create or replace function api.refresh_analytics()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', pg_catalog.format('role %s may not refresh the analytics', session_user),
            'Run it as an operator (tradebase_admin).');
    end if;
    perform ops.job_refresh_analytics(null, null);
end
$$;

comment on function api.refresh_analytics() is
'Operators: refresh the analysts'' materialized views (analytics.portfolio_summary) concurrently, with the data '
'as it is now; readers see the previous rows until it commits. 42501 for anyone but an operator.';
