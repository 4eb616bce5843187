-- Why the matcher canceled the rest of a resting order (§5: a fill never takes a position through
-- zero, nor into units other open orders hold), with what it filled first. Off the trade path: only a
-- resting order that has come to close its position needs it.
create or replace function trading.through_zero_reason(
    p_symbol text,
    p_position trading.positions,
    p_remaining numeric,
    p_filled numeric
)
returns text
language sql
immutable
set search_path = ''
as $$
    select case
        when p_remaining > pg_catalog.abs(p_position.quantity) then pg_catalog.format(
            'the order would take the %s position of %s through zero: %s filled, the rest canceled',
            p_symbol, pg_catalog.trim_scale(p_position.quantity), pg_catalog.trim_scale(p_filled)
        )
        else pg_catalog.format(
            'the order would take units of the %s position of %s that other open orders hold (%s): '
            '%s filled, the rest canceled',
            p_symbol, pg_catalog.trim_scale(p_position.quantity), pg_catalog.trim_scale(p_position.reserved_quantity),
            pg_catalog.trim_scale(p_filled)
        )
    end
$$;

comment on function trading.through_zero_reason(text, trading.positions, numeric, numeric) is
'The cancel reason of a resting order whose p_remaining units (p_filled of them just filled) would take the '
'position p_position through zero, or into the units its other open orders reserve.';
