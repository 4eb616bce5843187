-- Every cash amount an app passes in goes through here first, so a bad value is a 22023 with
-- the argument's name and never a cast error (22P02/22003) from the money domain.
create or replace function trading.positive_amount(p_amount numeric, p_argument text)
returns app.money
language plpgsql
immutable
set search_path = ''
as $$
begin
    if p_amount is null or p_amount in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) then
        perform app.raise_error('22023', pg_catalog.format('%s must be a finite number, got %s', p_argument,
            coalesce(p_amount::text, 'null')), 'Pass a positive amount.');
    elsif p_amount <= 0 or p_amount >= 1e16 then
        perform app.raise_error('22023', pg_catalog.format('%s must be positive and below 10^16, got %s',
            p_argument, p_amount), 'Pass a positive amount.');
    elsif p_amount <> pg_catalog.round(p_amount, 8) then
        perform app.raise_error('22023', pg_catalog.format('%s has more than 8 decimals: %s', p_argument, p_amount),
            'Round the amount to 8 decimals.');
    end if;
    return p_amount::app.money;
end
$$;

comment on function trading.positive_amount(numeric, text) is
'p_amount as app.money when it is finite, positive, below 10^16 and has at most 8 decimals; 22023 naming '
'p_argument otherwise.';
