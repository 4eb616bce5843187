-- One step of Wilder's smoothing of gains and losses as TA-Lib's RSI computes it, the transition function
-- of strategy.wilder_rsi: the state is {changes seen, average gain, average loss, p_period}. For the first p_period
-- changes it sums gains and losses and divides by p_period at the last of them (the seed: their simple
-- mean); after that average = (average × (p_period - 1) + this change's gain or loss) / p_period, in
-- TA-Lib's order of operations and in double precision, as TA-Lib does.
create or replace function strategy.wilder_step(
    p_state double precision[],
    p_change double precision,
    p_period integer
)
returns double precision[]
language plpgsql
immutable
strict
parallel safe
set search_path = ''
as $$
declare
    v_n double precision := p_state[1] + 1;
    v_gain double precision := p_state[2];
    v_loss double precision := p_state[3];
begin
    if v_n > p_period then
        v_gain := v_gain * (p_period - 1);
        v_loss := v_loss * (p_period - 1);
    end if;
    if p_change < 0 then
        v_loss := v_loss - p_change;
    else
        v_gain := v_gain + p_change;
    end if;
    if v_n >= p_period then
        v_gain := v_gain / p_period;
        v_loss := v_loss / p_period;
    end if;
    return array[v_n, v_gain, v_loss, p_period];
end
$$;

comment on function strategy.wilder_step(double precision[], double precision, integer) is
'Transition of strategy.wilder_rsi: {changes, average gain, average loss, period} after one more close-to-close change '
'(simple mean of the first p_period changes, then Wilder''s smoothing, in TA-Lib''s order of operations).';
