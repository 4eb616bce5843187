-- Which postings are external flows (DESIGN §5, docs/returns.md): money the owner put in or took out
-- (deposits, withdrawals, transfers, the initial balance and a paper reset, fund subscriptions and
-- redemptions, FX conversions, adjustments), as opposed to what the account earned or paid (trades, fees,
-- dividends, cash in lieu, fund fees). One definition for the running total trading.post_journal keeps
-- (trading.accounts.external_flow), the day's flow of a snapshot and the analysts' views.
-- SQL without a SET clause so the planner inlines it into the queries that call it.
create or replace function trading.is_external_flow(p_kind text)
returns boolean
language sql
immutable
parallel safe
as $$
    select p_kind in (
        'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'fund_subscription', 'fund_redemption',
        'fx_conversion', 'adjustment'
    )
$$;

comment on function trading.is_external_flow(text) is
'True for the posting kinds that are external flows (deposit, withdrawal, transfer, initial_balance, reset, '
'fund_subscription, fund_redemption, fx_conversion, adjustment); false for trade, fee, dividend, cash_in_lieu, '
'fund_fee.';
