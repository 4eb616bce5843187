-- Each account's running total of external flows (trading.is_external_flow: deposits, withdrawals,
-- transfers, ...), kept by trading.post_journal with the cash, so the analysts' portfolio summary reads
-- what was put in without summing every posting (issue 15 §4: its refresh measured 2.79x a GROUP BY over
-- the postings while it did). ops.invariant_account_cash_matches_postings checks it against the postings.
-- depends: 0580_context_discarded
set local role tradebase_owner;

alter table trading.accounts add column external_flow app.money_total not null default 0;
comment on column trading.accounts.external_flow is
'Net external flows so far (deposits, withdrawals, transfers, initial balance, resets, fund subscriptions and '
'redemptions, FX conversions, adjustments: trading.is_external_flow), in the account''s currency; kept by '
'trading.post_journal.';

update trading.accounts as a
set external_flow = f.amount
from (
    select
        t.account_id,
        sum(t.amount) as amount
    from trading.transactions as t
    where
        t.kind in (
            'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'fund_subscription', 'fund_redemption',
            'fx_conversion', 'adjustment'
        )
    group by t.account_id
) as f
where a.id = f.account_id and a.kind <> 'system';
