-- One account's returns over a range of days, from its daily snapshots (DESIGN §5, "Account returns";
-- docs/returns.md):
-- - time-weighted: the daily returns of analytics.account_daily_returns linked, Π(1 + r_t) - 1, so flows
--   (at the start of their day) never count as performance;
-- - money-weighted: analytics.xirr of the investor's flows: the equity at the start (a payment in, on the
--   first day's date), each day's net flow (a deposit is a payment in, a withdrawal a payment out, on the
--   day's date: its start), and the end equity (a payment out, on the day after the last: its end).
-- The figures cover first_day .. last_day: from the first snapshot in the range, or the day after it when
-- the day before has no snapshot (the first then only gives the starting equity), to the last snapshot in
-- the range. A missing day in between, or a day whose return is undefined, leaves the time-weighted return
-- NULL with the reason; the money-weighted return is NULL with xirr's reason where no rate exists.
-- Security definer: analysts read analytics only, not the snapshots behind it.
-- depends: analytics/account_daily_returns.sql analytics/xirr.sql
create or replace function analytics.account_returns(p_account_id uuid, p_from date, p_to date)
returns table (
    first_day date,
    last_day date,
    start_equity numeric,
    end_equity numeric,
    net_flow numeric,
    time_weighted_return double precision,
    money_weighted_return double precision,
    reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_day record;
    v_previous date;
    v_growth double precision := 1;
    v_twr_reason text;
    v_mwr_reason text;
    v_amounts double precision[] := '{}';
    v_dates date[] := '{}';
begin
    net_flow := 0;
    for v_day in
        select d.snapshot_date, d.equity, d.net_flow, d.start_value, d.daily_return
        from analytics.account_daily_returns(p_account_id, p_from, p_to) as d
        order by d.snapshot_date
    loop
        if v_previous is null then
            if v_day.start_value is null then
                -- No snapshot of the day before: this one gives the starting equity.
                first_day := v_day.snapshot_date + 1;
                start_equity := v_day.equity;
                net_flow := 0;
                v_previous := v_day.snapshot_date;
                continue;
            end if;
            first_day := v_day.snapshot_date;
            start_equity := v_day.start_value - v_day.net_flow;
        elsif v_day.snapshot_date <> v_previous + 1 and v_twr_reason is null then
            v_twr_reason := pg_catalog.format(
                'day %s has no snapshot (take it with api.snapshot_accounts: past days are valued as they stood)',
                v_previous + 1
            );
        end if;
        if v_day.daily_return is null and v_twr_reason is null then
            v_twr_reason := pg_catalog.format(
                'on %s the account started at %s (the day before''s equity plus the day''s flow %s) and ended at '
                || '%s: the day''s return is undefined', v_day.snapshot_date, v_day.start_value, v_day.net_flow,
                v_day.equity
            );
        end if;
        v_growth := v_growth * (1 + v_day.daily_return);
        net_flow := net_flow + v_day.net_flow;
        if v_day.net_flow <> 0 then
            v_amounts := v_amounts || (-v_day.net_flow)::double precision;
            v_dates := v_dates || v_day.snapshot_date;
        end if;
        last_day := v_day.snapshot_date;
        end_equity := v_day.equity;
        v_previous := v_day.snapshot_date;
    end loop;

    if v_previous is null then
        reason := pg_catalog.format('account %s has no snapshot from %s to %s', p_account_id, p_from, p_to);
        net_flow := null;
        return next;
        return;
    elsif last_day is null then
        first_day := null;
        start_equity := null;
        reason := pg_catalog.format(
            'the one snapshot from %s to %s, of %s, only gives the starting equity (the day before has none): '
            || 'a return needs a later day too', p_from, p_to, v_previous
        );
        net_flow := null;
        return next;
        return;
    end if;

    if v_twr_reason is null then
        time_weighted_return := v_growth - 1;
    end if;
    if start_equity <> 0 then
        v_amounts := (-start_equity)::double precision || v_amounts;
        v_dates := first_day || v_dates;
    end if;
    if end_equity <> 0 then
        v_amounts := v_amounts || end_equity::double precision;
        v_dates := v_dates || (last_day + 1);
    end if;
    select x.rate, x.reason into money_weighted_return, v_mwr_reason from analytics.xirr(v_amounts, v_dates) as x;
    reason := nullif(pg_catalog.concat_ws(
        '; ', 'time-weighted: ' || v_twr_reason, 'money-weighted: ' || v_mwr_reason
    ), '');
    return next;
end
$$;

comment on function analytics.account_returns(uuid, date, date) is
'Returns of p_account_id over the snapshots from p_from to p_to (first_day .. last_day; first_day is the day after '
'the first snapshot when the day before it has none): start and end equity, net external flow, the time-weighted '
'return (daily returns with flows at the start of the day, linked) and the money-weighted return (XIRR, actual/365, '
'annualised). A figure that does not exist is NULL and reason says why (a day without snapshot, an undefined day, no '
'rate). 22023 for null or reversed days or a system account, P0002 for no account (analytics.account_daily_returns).';
