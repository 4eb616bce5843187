-- Called by the risk_metrics job after the accounts' step (and by operators, as the owner): the risk
-- metrics of p_date for every fund struck that day (risk.write_fund_metrics). One fund never blocks the
-- others, as in risk.record_metrics: all funds in one statement and, after a data exception (22xxx) or a
-- check violation (23514), again fund by fund, each in its own subtransaction; a fund that fails there is
-- set aside (no row for the day, a critical alert on the fund's account naming the error).
-- depends: risk/write_fund_metrics.sql
create or replace function risk.record_fund_metrics(p_date date, p_window_days integer default 252)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_count integer;
    v_fund record;
    v_state text;
    v_message text;
begin
    if p_date is null or not pg_catalog.isfinite(p_date) or p_date > (pg_catalog.now() at time zone 'UTC')::date then
        perform app.raise_error('22023', pg_catalog.format('p_date must be a day up to today, got %s',
            coalesce(p_date::text, 'null')), null);
    elsif p_window_days is null or p_window_days not between 2 and 3660 then
        perform app.raise_error('22023', pg_catalog.format('p_window_days must be 2 to 3660 days, got %s',
            coalesce(p_window_days::text, 'null')), 'The default is 252.');
    end if;
    begin
        v_count := risk.write_fund_metrics(p_date, null, p_window_days);
    exception when data_exception or check_violation then
        v_count := 0;
        for v_fund in
            select f.id, f.account_id
            from fund.funds as f
            inner join fund.performance_snapshots as s on f.id = s.fund_id and s.snapshot_date = p_date
            order by f.id
        loop
            begin
                v_count := v_count + risk.write_fund_metrics(p_date, v_fund.id, p_window_days);
            exception when data_exception or check_violation then
                get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
                perform trading.set_aside(
                    pg_catalog.format('the risk metrics of fund %s on %s (no row for the day)', v_fund.id, p_date),
                    v_fund.account_id, null, v_state, v_message
                );
            end;
        end loop;
    end;
    return v_count;
end
$$;

comment on function risk.record_fund_metrics(date, integer) is
'Owner only (the risk_metrics job): writes the risk.metrics row of p_date for every fund struck that day '
'(risk.write_fund_metrics; a rerun replaces the day); a fund whose figures fail is set aside with a critical alert '
'on its account. Returns the number of funds written; 22023 for a day after today or not finite, or a window '
'outside 2 to 3660 days.';
