create or replace view api.account_snapshots with (security_invoker = true) as
select
    s.account_id,
    s.snapshot_date,
    s.cash,
    s.positions_value,
    s.equity,
    s.taken_at,
    s.net_flow
from trading.account_snapshots as s;

comment on view api.account_snapshots is
'Daily equity of your accounts as they stood at the end of each UTC day (cash, positions at the last price by then, '
'equity) and the day''s net external flow (deposits, withdrawals, transfers; docs/returns.md).';
