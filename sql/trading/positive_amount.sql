-- Every cash amount an app passes in goes through here first, so a bad value is a 22023 with the
-- argument's name and never a cast error (22P02/22003) from the money domain: positive, at most
-- app.max_amount() (10^15), at most 8 decimals (docs/trading.md, "Limits").
-- depends: trading/checked_number.sql
-- No set search_path: a SET clause keeps the planner from inlining a SQL function (inlined, its caller
-- calls trading.checked_number directly); every name in the body is schema-qualified.
create or replace function trading.positive_amount(p_amount numeric, p_argument text)
returns app.money
language sql
immutable
as $$
    select trading.checked_number(p_amount, p_argument, 0.00000001, app.max_amount(), 8)::app.money
$$;

comment on function trading.positive_amount(numeric, text) is
'p_amount as app.money when it is finite, from 0.00000001 to app.max_amount() (10^15) with at most 8 decimals; '
'22023 naming p_argument otherwise.';
