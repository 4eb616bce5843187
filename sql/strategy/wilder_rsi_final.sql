-- The RSI of a Wilder state (TA-Lib: 100 × gain / (gain + loss), 0 when gain + loss is within 1e-14 of
-- zero, TA-Lib's TA_IS_ZERO); null until p_period changes were seen.
create or replace function strategy.wilder_rsi_final(p_state double precision[])
returns double precision
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select case
        when p_state[1] = 0 or p_state[1] < p_state[4] then null
        when p_state[2] + p_state[3] > -1e-14 and p_state[2] + p_state[3] < 1e-14 then 0
        else 100 * (p_state[2] / (p_state[2] + p_state[3]))
    end
$$;

comment on function strategy.wilder_rsi_final(double precision[]) is
'Final function of strategy.wilder_rsi: the RSI of the state (null before p_period changes; 0 where TA-Lib gives 0).';
