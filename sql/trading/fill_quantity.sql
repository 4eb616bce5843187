-- Partial fills by volume participation (§5): a fill takes at most that share of the bar's volume.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and the order path
-- calls this on every order (inlined it costs nothing; called, it is planned anew each time). Every name
-- in the body is schema-qualified, and it is not security definer.
create or replace function trading.fill_quantity(
    p_remaining numeric,
    p_volume numeric,
    p_max_participation numeric,
    p_fractionable boolean
)
returns numeric
language sql
immutable
parallel safe
as $$
    select case
        when p_max_participation is null or p_volume is null then p_remaining
        else least(
            p_remaining,
            pg_catalog.trunc(p_volume * p_max_participation, case when p_fractionable then 10 else 0 end)
        )
    end
$$;

comment on function trading.fill_quantity(numeric, numeric, numeric, boolean) is
'How much of p_remaining may fill on a bar of p_volume units: all of it without a participation limit or a '
'known volume, else at most volume x participation (whole units for non-fractionable securities).';
