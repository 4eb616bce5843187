-- How much of a resting order may fill (§5: a fill never takes a position through zero, nor into units
-- other open orders hold): null when the order does not close the position (it opens or adds to it, or the
-- position is flat), else the position's units that the account's other open orders do not reserve. An
-- order placed now was checked for both when placed; a resting one may since have come to close the
-- position (a short sale placed flat, then a buy).
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and the matcher calls
-- this for every resting order on every tick (inlined it costs nothing; called, it is planned anew each
-- time). Every name in the body is schema-qualified, and it is not security definer.
create or replace function trading.closing_cap(
    p_side text,
    p_order_reserved numeric,
    p_position_quantity numeric,
    p_position_reserved numeric
)
returns numeric
language sql
immutable
parallel safe
as $$
    select case
        when pg_catalog.sign(p_position_quantity) = (case when p_side = 'buy' then -1 else 1 end)
            then greatest(pg_catalog.abs(p_position_quantity) - (p_position_reserved - p_order_reserved), 0)
    end
$$;

comment on function trading.closing_cap(text, numeric, numeric, numeric) is
'The most units a resting p_side order holding p_order_reserved may fill against a position of '
'p_position_quantity of which open orders reserve p_position_reserved: null when the order does not close the '
'position, else its units less what the other orders reserve (never below 0).';
