-- The one check of a strategy's type and parameters (issue 16 §1): every function that writes a strategy
-- calls it, and a backtest reads only what it returned. Per type, unknown keys, values of the wrong JSON type
-- and impossible values (fast >= slow, oversold >= overbought, ...) are a 22023 naming the key, with a hint.
-- Missing keys take the textbook defaults, so the stored parameters are always complete:
--   sma_crossover  {"fast": 10, "slow": 20, "mode": "long_only"}  1 <= fast < slow <= 1000, mode long_only | long_short
--   rsi_reversion  {"period": 14, "oversold": 30, "overbought": 70}  2 <= period <= 1000, 0 < oversold < overbought < 100
--   signals        {}  (it trades its recorded strategy.signals)
--   momentum, mean_reversion, arbitrage, ml, ai, manual: any JSON object up to 10,000 characters (descriptive)
create or replace function strategy.checked_parameters(p_strategy_type text, p_parameters jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_allowed text [];
    v_unknown text;
    v_key text;
    v_value jsonb;
    v_number numeric;
    v_min integer;
    v_out jsonb;
begin
    if p_strategy_type is null or p_strategy_type not in (
        'sma_crossover', 'rsi_reversion', 'signals', 'momentum', 'mean_reversion', 'arbitrage', 'ml', 'ai', 'manual'
    ) then
        perform app.raise_error('22023', pg_catalog.format('strategy type %s is unknown', app.quote_input(p_strategy_type)),
            'Use sma_crossover, rsi_reversion or signals (backtestable), or momentum, mean_reversion, arbitrage, ml, '
            || 'ai or manual (descriptive).');
    end if;
    if p_parameters is null or pg_catalog.jsonb_typeof(p_parameters) <> 'object' then
        perform app.raise_error('22023', pg_catalog.format('parameters of a %s strategy must be a JSON object', p_strategy_type),
            'Pass an object such as {} or {"fast": 10, "slow": 20}.');
    end if;
    v_allowed := case p_strategy_type
        when 'sma_crossover' then array['fast', 'slow', 'mode']
        when 'rsi_reversion' then array['period', 'oversold', 'overbought']
        when 'signals' then array[]::text []
    end;
    if v_allowed is null then
        if pg_catalog.length(p_parameters::text) > 10000 then
            perform app.raise_error('22023', pg_catalog.format('parameters of a %s strategy exceed 10,000 characters',
                p_strategy_type), 'Keep descriptive parameters short.');
        end if;
        return p_parameters;
    end if;
    select k into v_unknown from pg_catalog.jsonb_object_keys(p_parameters) as k
    where k <> all(v_allowed) order by k limit 1;
    if v_unknown is not null then
        perform app.raise_error('22023', pg_catalog.format('parameter %s is unknown for a %s strategy',
            app.quote_input(v_unknown), p_strategy_type),
            case when v_allowed = '{}' then 'A signals strategy takes no parameters: pass {}.'
            else pg_catalog.format('Its parameters are %s.', pg_catalog.array_to_string(v_allowed, ', ')) end);
    end if;
    v_out := case p_strategy_type
        when 'sma_crossover' then '{"fast": 10, "slow": 20, "mode": "long_only"}'::jsonb
        when 'rsi_reversion' then '{"period": 14, "oversold": 30, "overbought": 70}'::jsonb
        else '{}'::jsonb
    end || p_parameters;
    foreach v_key in array v_allowed loop
        v_value := v_out -> v_key;
        if v_key = 'mode' then
            if pg_catalog.jsonb_typeof(v_value) <> 'string' or v_value ->> 0 not in ('long_only', 'long_short') then
                perform app.raise_error('22023', pg_catalog.format('parameter mode must be "long_only" or "long_short", got %s',
                    app.quote_input(v_value::text)), 'long_only buys on a cross up and closes on a cross down; '
                    || 'long_short always reverses.');
            end if;
            continue;
        end if;
        if pg_catalog.jsonb_typeof(v_value) <> 'number' then
            perform app.raise_error('22023', pg_catalog.format('parameter %s must be a number, got %s', v_key,
                app.quote_input(v_value::text)), 'Pass a JSON number, e.g. {"' || v_key || '": 20}.');
        end if;
        v_number := v_value::text::numeric;
        if v_key in ('fast', 'slow', 'period') then
            v_min := (v_key = 'period')::integer + 1;
            if v_number <> pg_catalog.trunc(v_number) or v_number < v_min or v_number > 1000 then
                perform app.raise_error('22023', pg_catalog.format('parameter %s must be a whole number of bars from %s '
                    || 'to 1000, got %s', v_key, v_min, app.quote_input(v_value::text)), 'Pass a whole number of bars.');
            end if;
        elsif v_number <= 0 or v_number >= 100 then
            perform app.raise_error('22023', pg_catalog.format('parameter %s must lie strictly between 0 and 100, got %s',
                v_key, app.quote_input(v_value::text)), 'RSI thresholds are levels of an index from 0 to 100.');
        end if;
    end loop;
    if p_strategy_type = 'sma_crossover' and (v_out ->> 'fast')::numeric >= (v_out ->> 'slow')::numeric then
        perform app.raise_error('22023', pg_catalog.format('parameter fast (%s) must be below slow (%s)',
            v_out ->> 'fast', v_out ->> 'slow'), 'The fast moving average uses fewer bars than the slow one.');
    end if;
    if p_strategy_type = 'rsi_reversion'
        and (v_out ->> 'oversold')::numeric >= (v_out ->> 'overbought')::numeric then
        perform app.raise_error('22023', pg_catalog.format('parameter oversold (%s) must be below overbought (%s)',
            v_out ->> 'oversold', v_out ->> 'overbought'), 'The strategy buys below oversold and sells above overbought.');
    end if;
    return v_out;
end
$$;

comment on function strategy.checked_parameters(text, jsonb) is
'The parameters of a strategy of p_strategy_type, complete with defaults, when they are valid for the type; else '
'22023 naming the key (unknown, wrong type, impossible value) with a hint. Unknown types are 22023 too.';
