-- Every price an app or feed passes in (a tick, bid, ask, dividend per share) goes through here first:
-- from 0.00000001 to app.max_price() with at most 8 decimals, else a 22023 naming the argument
-- (docs/trading.md, "Limits"). A price with a 9th decimal is refused, not rounded (0.000000001 would
-- round to zero).
-- depends: trading/checked_number.sql
-- No set search_path: a SET clause keeps the planner from inlining a SQL function (inlined, its caller
-- calls trading.checked_number directly); every name in the body is schema-qualified.
create or replace function trading.positive_price(p_price numeric, p_argument text)
returns app.price
language sql
immutable
as $$
    select trading.checked_number(p_price, p_argument, 0.00000001, app.max_price(), 8)::app.price
$$;

comment on function trading.positive_price(numeric, text) is
'p_price as app.price when it is finite, from 0.00000001 to app.max_price() (10^9) with at most 8 decimals; '
'22023 naming p_argument otherwise.';
