-- The risk_metrics job: the risk metrics of the UTC day that ended, after that day's snapshots
-- (snapshot_accounts runs at 00:05, this at 00:20).
create or replace function ops.job_risk_metrics(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform p_period_end;
    return risk.record_metrics((p_period_start at time zone 'UTC')::date);
end
$$;

comment on function ops.job_risk_metrics(timestamptz, timestamptz) is
'Job risk_metrics: the risk metrics of every active account for the UTC day p_period_start (risk.record_metrics, '
'252 days of daily returns); returns the number of accounts written.';
