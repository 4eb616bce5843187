-- The one range check of every number an api function takes (amounts, prices, quantities, volumes,
-- thresholds): finite, within [p_min, p_max], and with at most p_scale decimals, so that it is stored
-- exactly as given. Anything else is a 22023 naming the argument, with a hint; never a cast error
-- (22P02, 22003) from a domain, nor a value the column's rounding would change or take to zero.
-- docs/trading.md "Limits" lists the bounds; values with more decimals are refused, not rounded.
create or replace function trading.checked_number(
    p_value numeric,
    p_argument text,
    p_min numeric,
    p_max numeric,
    p_scale integer
)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
begin
    if p_value is null or p_value in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) then
        perform app.raise_error('22023', pg_catalog.format('%s must be a finite number, got %s', p_argument,
            coalesce(pg_catalog.left(p_value::text, 40), 'null')),
            pg_catalog.format('Pass a number from %s to %s.', p_min, p_max));
    elsif p_value < p_min or p_value > p_max then
        perform app.raise_error('22023', pg_catalog.format('%s must lie between %s and %s, got %s', p_argument,
            p_min, p_max, pg_catalog.left(p_value::text, 40)),
            pg_catalog.format('Pass a number from %s to %s (docs/trading.md, Limits).', p_min, p_max));
    elsif p_value <> pg_catalog.round(p_value, p_scale) then
        perform app.raise_error('22023', pg_catalog.format('%s has more than %s decimals: %s', p_argument,
            p_scale, pg_catalog.left(p_value::text, 40)),
            pg_catalog.format('Round it to %s decimals; tradebase stores it exactly or not at all.', p_scale));
    end if;
    return p_value;
end
$$;

comment on function trading.checked_number(numeric, text, numeric, numeric, integer) is
'p_value when it is finite, within [p_min, p_max] and has at most p_scale decimals; else 22023 naming p_argument '
'with a hint. The shared check behind trading.positive_amount, positive_price and positive_quantity.';
