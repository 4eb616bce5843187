-- The most cash an account may hold, and the largest value of every app.nonnegative_money column
-- (its domain constraint nonnegative_money_within_limit_ck, migration 0440): twice app.max_amount(),
-- so a maximal sale lands on a maximal deposit, and cash plus a maximal order stays far inside
-- app.money (below 10^16), where the constraint, not an overflow, refuses what goes beyond
-- (docs/trading.md, "Limits").
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
'The most cash an account may hold (and the largest fee, notional or reservation): 2 x 10^15 '
'(docs/trading.md, Limits).';
