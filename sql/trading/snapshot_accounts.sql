-- Called by api.snapshot_accounts (operators) and the snapshot_accounts job; only the owner may execute it.
-- Housekeeping (once per UTC day): each active user account as it stood at the end of the UTC day
-- p_date: cash + Σ units held then × the last price at or before then, converted into the account
-- currency, and the day's net external flow (trading.write_snapshots, docs/returns.md). Any past day may
-- be taken, or taken again: a rerun for the same day replaces that day's rows, so it is safe to repeat.
-- depends: trading/write_snapshots.sql trading/set_aside.sql
create or replace function trading.snapshot_accounts(p_date date)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_count integer;
    v_account_id uuid;
    v_state text;
    v_message text;
begin
    -- From 1970 (nothing trades before; a day before year 1 breaks the date arithmetic of the readers of
    -- snapshots) up to today, UTC.
    if p_date is null or not pg_catalog.isfinite(p_date) or p_date < '1970-01-01'
        or p_date > (pg_catalog.now() at time zone 'UTC')::date then
        perform app.raise_error('22023', pg_catalog.format('p_date must be a day from 1970-01-01 up to today, got %s',
            coalesce(p_date::text, 'null')), 'Pass a UTC day that has begun, e.g. yesterday''s.');
    end if;
    -- One account's data never fails the snapshot for the others (§5): all accounts in one statement
    -- and, after a data exception (22xxx: a value too large for its column), a check violation (23514) or
    -- a missing FX rate for one account's currency (P0002 from market.convert), again account by account,
    -- each in its own subtransaction; an account that fails there is set aside (no row for the day, a
    -- critical alert naming the error).
    begin
        v_count := trading.write_snapshots(p_date);
    exception when data_exception or check_violation or no_data_found then
        v_count := 0;
        for v_account_id in
            select a.id from trading.accounts as a where a.kind <> 'system' and a.status <> 'archived' order by a.id
        loop
            begin
                v_count := v_count + trading.write_snapshots(p_date, v_account_id);
            exception when data_exception or check_violation or no_data_found then
                get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
                perform trading.set_aside(
                    pg_catalog.format('the snapshot of %s (no row for the day)', p_date),
                    v_account_id, null, v_state, v_message
                );
            end;
        end loop;
    end;
    return v_count;
end
$$;

comment on function trading.snapshot_accounts(date) is
'Owner only (api.snapshot_accounts, the snapshot_accounts job): writes the equity and net external flow of every '
'non-archived user account at the end of the UTC day p_date into trading.account_snapshots (a rerun replaces the '
'day); an account whose figures fail is set aside with a critical alert. Returns the number of accounts written; '
'22023 for a day after today or not finite.';
