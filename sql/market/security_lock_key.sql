-- The key of a security's transaction-level advisory lock (docs/trading.md, "Splits and concurrent
-- orders"): a split takes it exclusively, and every path that prices or creates orders of the security
-- (api.execute_paper_trade, api.fund_trade, api.record_price) takes it shared, before any row lock, so
-- an order is placed either wholly before a split (and scaled by it) or wholly after it (at the
-- split-adjusted quote), and the split's account locks never meet a tick's quote lock the other way round.
-- By symbol, as the order path holds it (trading.place_order finds a security by the upper case of
-- the symbol it is given; the others pass the stored symbol), so it needs no lookup before it; two
-- symbols of one hash only share a lock.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and the order path
-- calls this on every order. Every name in the body is schema-qualified, and it is not security definer.
create or replace function market.security_lock_key(p_symbol text)
returns bigint
language sql
immutable
as $$
    select pg_catalog.hashtextextended('tradebase.security:' || pg_catalog.upper(p_symbol), 0)
$$;

comment on function market.security_lock_key(text) is
'The advisory lock key of the security p_symbol (case-insensitive): taken exclusively by trading.apply_split, '
'shared by the paths that price or place orders of it, before any row lock (docs/trading.md).';
