-- Support staff apply a corporate action (§5): trading.apply_split does it, for every holder, under the
-- security's advisory lock (market.security_lock_key), so no order placed meanwhile escapes it.
-- depends: trading/apply_split.sql
create or replace function api.apply_split(
    p_symbol text,
    p_numerator integer,
    p_denominator integer,
    p_effective date
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    perform app.require_admin('apply a split');
    return trading.apply_split(p_symbol, p_numerator, p_denominator, p_effective);
end
$$;

comment on function api.apply_split(text, integer, integer, date) is
'Admin: applies a p_numerator-for-p_denominator split of p_symbol to every holder (open lots and resting orders '
'scale, prices and the quote divide, cost basis stays; cash in lieu of fractions of non-fractionable securities '
'and of lots that would scale below 10 decimals). An account whose data fails (a data exception, a check '
'violation, or TB040 when it cannot pay cash in lieu) is set aside: position left unsplit, open orders in the '
'security canceled, a critical alert; the others proceed. '
'Orders and ticks of the security in flight finish first and are split; those placed meanwhile wait. '
'Returns how many positions changed. 42501 non-admin, 22023 bad ratio or date, P0002 unknown symbol, TB064 applied twice.';
