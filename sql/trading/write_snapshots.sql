-- The statement behind api.snapshot_accounts: each active user account's cash, positions at the latest
-- quotes (in the account currency) and equity for p_date, replacing that day's row; all accounts, or
-- only p_account_id (the unit api.snapshot_accounts sets aside when one account's data fails).
create or replace function trading.write_snapshots(p_date date, p_account_id uuid default null)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_count integer;
begin
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
    where a.kind <> 'system' and a.status <> 'archived' and (p_account_id is null or a.id = p_account_id)
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

comment on function trading.write_snapshots(date, uuid) is
'Writes (or replaces) the p_date snapshot of every non-archived user account, or of p_account_id only: cash, '
'positions at the latest quotes in the account currency, equity. Returns the number of rows written.';
