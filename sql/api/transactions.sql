create or replace view api.transactions with (security_invoker = true) as
select
    t.id,
    t.journal_id,
    t.account_id,
    t.currency,
    t.amount,
    t.balance_after,
    t.kind,
    t.memo,
    t.order_id,
    t.fill_id,
    t.posted_at
from trading.transactions as t;

comment on view api.transactions is
'Ledger postings of your accounts: signed amount, balance after it, kind, memo, order and fill.';
