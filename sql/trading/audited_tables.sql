-- The trading tables under audit (audit.enable is idempotent, so re-applying this file is safe).
-- Not trading.accounts: its cash changes with every journal and order, and the postings
-- (trading.transactions, append-only through trading.post_journal) are the record of cash.
select audit.enable('trading.account_templates');
select audit.enable('trading.trading_sessions');
