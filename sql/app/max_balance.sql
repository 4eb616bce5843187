-- The most cash an account may hold (trading.accounts.cash is a trading.cash_balance, whose
-- constraint cash_balance_within_limit_ck holds this number; migration 0440): twice app.max_amount(),
-- so a sale as large as a maximal deposit lands on one, and cash plus any one credit accepted at
-- today's prices stays far inside app.money (below 10^16), where the constraint, not an overflow,
-- refuses what goes beyond (docs/trading.md, "Limits"). api.execute_paper_trade writes the number out.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and inlined a
-- constant costs nothing on the order path; the body names nothing.
create or replace function app.max_balance()
returns numeric
language sql
immutable
parallel safe
as $$
    select 2000000000000000::numeric
$$;

comment on function app.max_balance() is
'The most cash an account may hold: 2 x 10^15 (trading.cash_balance; docs/trading.md, Limits).';
