-- Every account's daily equity from its snapshots (trading.account_snapshots, written by
-- api.snapshot_accounts and the snapshot_accounts job), with the day's net external flow and the
-- flow-adjusted daily return r_t = V_t / (V_{t-1} + F_t) - 1 (docs/returns.md; the rules are in
-- analytics.account_daily_returns' header), for all accounts at once. The one place the rule is written:
-- analytics.account_daily_returns reads one account's days from this view.
create or replace view analytics.daily_equity as
with days as (
    select
        s.account_id,
        a.user_id,
        a.kind as account_kind,
        a.base_currency as currency,
        s.snapshot_date,
        s.cash,
        s.positions_value,
        s.equity,
        s.net_flow,
        coalesce(
            p.equity,
            case
                when not exists (
                    select from trading.account_snapshots as e
                    where e.account_id = s.account_id and e.snapshot_date < s.snapshot_date
                ) and not exists (
                    select from trading.transactions as t
                    where t.account_id = s.account_id and t.posted_at < (s.snapshot_date::timestamp at time zone 'UTC')
                ) then 0
            end
        ) + s.net_flow as start_value
    from trading.account_snapshots as s
    inner join trading.accounts as a on s.account_id = a.id
    left join trading.account_snapshots as p
        on s.account_id = p.account_id and p.snapshot_date = s.snapshot_date - 1
)

select
    d.account_id,
    d.user_id,
    d.account_kind,
    d.currency,
    d.snapshot_date,
    d.cash,
    d.positions_value,
    d.equity,
    d.net_flow,
    d.start_value,
    case
        when d.start_value > 0 then (d.equity / d.start_value)::double precision - 1
        when d.start_value = 0 and d.equity = 0 then 0
    end as daily_return
from days as d;

comment on view analytics.daily_equity is
'One row per account snapshot (end of a UTC day): cash, positions value, equity, the day''s net external flow, '
'start_value = equity of the day before + flow (0 + flow before the account''s first posting; NULL when the day '
'before has no snapshot) and the flow-adjusted daily return equity / start_value - 1, as '
'analytics.account_daily_returns computes it: a deposit or withdrawal is never a return.';
comment on column analytics.daily_equity.currency is 'The account''s base currency: every amount is in it.';
comment on column analytics.daily_equity.start_value is
'Equity of the day before + the day''s net flow: what the day''s return is measured on (flows at the start of the day).';
comment on column analytics.daily_equity.daily_return is
'Statistic: equity / start_value - 1 (0 for a day at zero throughout; NULL when start_value is unknown, or at or '
'below zero while equity is not).';
