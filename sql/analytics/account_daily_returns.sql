-- One account's daily returns from its snapshots, flows at the start of the day (DESIGN §5, "Account
-- returns"): r_t = V_t / (V_{t-1} + F_t) - 1, V the day's equity, F its net external flow, so a deposit
-- or withdrawal moves the base it is measured on and never counts as performance.
-- - V_{t-1} is the snapshot of the day before; before an account's first snapshot it is 0 when the
--   account had no posting before the day (it held nothing yet), else unknown (start_value NULL);
-- - r_t is NULL when V_{t-1} is unknown, and when the day started at zero or below yet ended elsewhere
--   (V_{t-1} + F_t <= 0, V_t <> 0: nothing was invested that could earn it); a day that starts and ends
--   at zero earns 0.
-- The rule is written once, in the view analytics.daily_equity (for every account); this reads one
-- account's days from it. Security definer: analysts read analytics only, not the snapshots and
-- postings behind it.
-- depends: analytics/daily_equity.sql
create or replace function analytics.account_daily_returns(p_account_id uuid, p_from date, p_to date)
returns table (
    snapshot_date date,
    equity numeric,
    net_flow numeric,
    start_value numeric,
    daily_return double precision
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_kind text;
begin
    if p_account_id is null then
        perform app.raise_error('22023', 'p_account_id must not be null', null);
    elsif p_from is null or p_to is null or not pg_catalog.isfinite(p_from) or not pg_catalog.isfinite(p_to) then
        perform app.raise_error('22023', 'p_from and p_to must be dates', 'Pass the first and the last day.');
    elsif p_from > p_to then
        perform app.raise_error('22023', pg_catalog.format('p_from %s is after p_to %s', p_from, p_to),
            'Pass the first day, then the last.');
    end if;
    select a.kind into v_kind from trading.accounts as a where a.id = p_account_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('account %s does not exist', p_account_id), null);
    elsif v_kind = 'system' then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_account_id),
            'Returns are measured on user accounts.');
    end if;

    return query
    select d.snapshot_date, d.equity::numeric, d.net_flow::numeric, d.start_value::numeric, d.daily_return
    from analytics.daily_equity as d
    where d.account_id = p_account_id and d.snapshot_date between p_from and p_to
    order by d.snapshot_date;
end
$$;

comment on function analytics.account_daily_returns(uuid, date, date) is
'Per snapshot of p_account_id from p_from to p_to: equity, net external flow, start_value (equity of the day before '
'+ the day''s flow; 0 + flow before the account''s first posting; NULL when the day before has no snapshot) and the '
'daily return equity / start_value - 1 (0 for a day at zero throughout; NULL when start_value is unknown, or at or '
'below zero while equity is not zero). 22023 for null or reversed days or a system account, P0002 for no account.';
