-- The largest amount of cash one call moves: a deposit, withdrawal or transfer, an initial balance, a
-- risk threshold in money, a platform's total value (docs/trading.md, "Limits").
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and inlined a
-- constant costs nothing on the order path; the body names nothing.
create or replace function app.max_amount()
returns numeric
language sql
immutable
parallel safe
as $$
    select 1000000000000000::numeric
$$;

comment on function app.max_amount() is
'The largest cash amount one call moves (a deposit, withdrawal, transfer, initial balance, money threshold): 10^15 '
'(docs/trading.md, Limits).';
