-- The largest price tradebase accepts (docs/trading.md, "Limits"): quotes, bid and ask, bars, limit and
-- stop prices, dividends per share, and a quote after a split. The smallest is app.price's last
-- decimal, 0.00000001. A reverse split of up to 1-for-1,000,000 then still takes a resting order's
-- price to at most 10^15, inside app.price (below 10^16).
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and inlined a
-- constant costs nothing on the order path; the body names nothing.
create or replace function app.max_price()
returns numeric
language sql
immutable
parallel safe
as $$
    select 1000000000::numeric
$$;

comment on function app.max_price() is
'The largest price tradebase accepts: 10^9 per unit (the smallest is 0.00000001; docs/trading.md, Limits).';
