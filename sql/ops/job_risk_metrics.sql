-- The risk_metrics job: the risk metrics of the UTC day that ended, which need that day's snapshots.
-- pg_cron runs snapshot_accounts first (00:05, this at 00:40), and so does ops.run_due_jobs (the order of
-- the schedules); when the snapshot job is enabled and has not yet succeeded for the day all the same (it
-- failed, or a runner started this one first), this job takes the day's snapshots itself
-- (trading.snapshot_accounts; a rerun of a day replaces its rows, so the snapshot job's own run later
-- writes the same figures). Then its fund step: the rows of every fund struck that day, from its
-- NAV-per-share returns (risk.record_fund_metrics); strike_funds (00:30) runs before it, in pg_cron and
-- in ops.run_due_jobs (the order of the schedules). A fund not struck yet has no row for the day.
create or replace function ops.job_risk_metrics(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_day date := (p_period_start at time zone 'UTC')::date;
begin
    perform p_period_end;
    if exists (select from ops.jobs as j where j.name = 'snapshot_accounts' and j.enabled)
        and not exists (
            select from ops.job_runs as r
            where r.job_name = 'snapshot_accounts' and r.period_start = p_period_start and r.status = 'succeeded'
        )
    then
        perform trading.snapshot_accounts(v_day);
    end if;
    return risk.record_metrics(v_day) + risk.record_fund_metrics(v_day);
end
$$;

comment on function ops.job_risk_metrics(timestamptz, timestamptz) is
'Job risk_metrics: the risk metrics of every active account for the UTC day p_period_start (risk.record_metrics, '
'252 days of daily returns), after taking the day''s snapshots when the snapshot_accounts job has not yet done '
'so, then of every fund struck that day (risk.record_fund_metrics); returns the number of accounts and funds written.';
