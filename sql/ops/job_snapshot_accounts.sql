-- The snapshot_accounts job: the snapshots of the UTC day that ended.
create or replace function ops.job_snapshot_accounts(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform p_period_end;
    return trading.snapshot_accounts((p_period_start at time zone 'UTC')::date);
end
$$;

comment on function ops.job_snapshot_accounts(timestamptz, timestamptz) is
'Job snapshot_accounts: the account snapshots of the UTC day p_period_start (trading.snapshot_accounts); returns '
'the number of accounts written.';
