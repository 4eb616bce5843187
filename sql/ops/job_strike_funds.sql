-- The strike_funds job (issue 17): every active or paused fund struck for the UTC day that ended, as the
-- system actor fund_manager (ops.run_job sets it from ops.jobs.actor). The strike values at the last price
-- by the end of that day (p_period_end less a microsecond). One fund that cannot be struck (a holding
-- without a price) is left for a later run and its manager told; the others are struck. The quiet funds
-- (nothing to deal, pay or crystallize that day) are struck together by fund.strike_quiet, the rest one
-- by one by fund.strike (issue 17's cost limit: docs/funds.md, "Demo and benchmark"). Returns how many
-- funds it struck.
create or replace function ops.job_strike_funds(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_fund record;
    v_struck bigint := 0;
    v_error text;
begin
    perform p_period_start;
    begin
        v_struck := fund.strike_quiet(p_period_end - interval '1 microsecond');
    exception when others then
        -- Whatever went wrong, every fund is still struck one by one below (and a fund's error reported to
        -- its manager there); the quiet path's own error goes to the server log.
        get stacked diagnostics v_error = message_text;
        raise warning 'fund.strike_quiet failed, every fund is struck one by one: %', v_error;
        v_struck := 0;
    end;
    for v_fund in
        select f.id, f.name, f.manager_id from fund.funds as f
        where f.status in ('active', 'paused')
            and (f.last_strike_date is null or f.last_strike_date < ((p_period_end at time zone 'UTC')::date - 1))
        order by f.id
    loop
        begin
            perform fund.strike(v_fund.id, p_period_end - interval '1 microsecond');
            v_struck := v_struck + 1;
        exception when others then
            get stacked diagnostics v_error = message_text;
            perform notify.publish(v_fund.manager_id, 'system', 'error', 'NAV strike failed',
                pg_catalog.format('The NAV strike of fund %s failed: %s', v_fund.name, v_error),
                pg_catalog.jsonb_build_object('event', 'fund_strike_failed', 'fund_id', v_fund.id), false);
        end;
    end loop;
    return v_struck;
end
$$;

comment on function ops.job_strike_funds(timestamptz, timestamptz) is
'Job strike_funds: strike every active or paused fund for the UTC day before p_period_end (fund.strike, as the '
'fund_manager actor); a fund that fails is reported to its manager and left for the next run. Returns the funds struck.';
