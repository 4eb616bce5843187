-- Housekeeping (operators): the day's account snapshots. The scheduler runs the same work for the
-- previous UTC day as the snapshot_accounts job (ops.jobs). A rerun for the same day replaces its rows;
-- a past day is valued as it stood then (docs/returns.md), so a missed day can be taken later.
-- depends: trading/snapshot_accounts.sql
create or replace function api.snapshot_accounts(p_date date)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    if not app.is_admin() then
        perform app.raise_error('42501', pg_catalog.format('role %s may not take account snapshots', session_user),
            'Run it as an operator (tradebase_admin).');
    end if;
    return trading.snapshot_accounts(p_date);
end
$$;

comment on function api.snapshot_accounts(date) is
'Operators: write the equity at the end of the UTC day p_date (cash then + units held then at the last price at or '
'before then) and the day''s net external flow of every non-archived user account into trading.account_snapshots; '
'a rerun replaces the day; 22023 for a day before 1970 or after today. An account whose figures fail (a data exception, a check '
'violation, or no FX rate for its currency) is set aside with a critical alert and no row; the others are written. '
'Returns the number of accounts written. 42501 for anyone but an operator.';
