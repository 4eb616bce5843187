create or replace view api.account_snapshots with (security_invoker = true) as
select
    s.account_id,
    s.snapshot_date,
    s.cash,
    s.positions_value,
    s.equity,
    s.taken_at
from trading.account_snapshots as s;

comment on view api.account_snapshots is 'Daily equity of your accounts (cash, positions at the day''s quotes, equity).';
