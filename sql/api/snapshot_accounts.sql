-- Housekeeping (run once per UTC day by an operator or scheduler): equity of every active user
-- account = cash + Σ position quantity × latest quote price, converted into the account currency.
-- A rerun for the same day replaces that day's rows, so it is safe to repeat.
create or replace function api.snapshot_accounts(p_date date)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_count integer;
begin
    if not app.is_admin() then
        perform app.raise_error('42501', pg_catalog.format('role %s may not take account snapshots', session_user),
            'Run it as an operator (tradebase_admin).');
    elsif p_date is null or p_date > (pg_catalog.now() at time zone 'UTC')::date then
        perform app.raise_error('22023', pg_catalog.format('p_date must be a day up to today, got %s',
            coalesce(p_date::text, 'null')), null);
    end if;
    insert into trading.account_snapshots as s (account_id, snapshot_date, cash, positions_value, equity)
    select a.id, p_date, a.cash, v.value, a.cash + v.value
    from trading.accounts as a
    cross join lateral (
        select coalesce(pg_catalog.round(pg_catalog.sum(
            market.convert(p.quantity * q.price, sec.currency, a.base_currency)
        ), 8), 0) as value
        from trading.positions as p
        inner join market.quotes as q on p.security_id = q.security_id
        inner join market.securities as sec on p.security_id = sec.id
        where p.account_id = a.id and p.quantity <> 0
    ) as v
    where a.kind <> 'system' and a.status <> 'archived'
    on conflict (account_id, snapshot_date) do update
        set
            cash = excluded.cash,
            positions_value = excluded.positions_value,
            equity = excluded.equity,
            taken_at = excluded.taken_at;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

comment on function api.snapshot_accounts(date) is
'Operators: write the day''s equity (cash + positions at the latest quotes) of every non-archived user account into '
'trading.account_snapshots; a rerun replaces the day. Returns the number of accounts.';
