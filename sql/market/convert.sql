-- Currency conversion at the newest rate known at p_at, using the pair in either direction.
create or replace function market.convert(
    p_amount numeric,
    p_from text,
    p_to text,
    p_at timestamptz default pg_catalog.now()
)
returns numeric
language plpgsql
stable
strict
set search_path = ''
as $$
declare
    v_rate numeric;
begin
    if p_from !~ '^[A-Z]{3}$' or p_to !~ '^[A-Z]{3}$' then
        perform app.raise_error('22023', pg_catalog.format('currencies %s / %s are not ISO 4217 codes', app.quote_input(p_from), app.quote_input(p_to)),
            'Use three upper-case letters, e.g. USD.');
    end if;
    if p_from = p_to then
        return p_amount;
    end if;
    select r.rate into v_rate
    from (
        select f.rate::numeric as rate, f.as_of
        from market.fx_rates as f
        where f.base_currency = p_from and f.quote_currency = p_to and f.as_of <= p_at
        union all
        select 1 / i.rate::numeric, i.as_of
        from market.fx_rates as i
        where i.base_currency = p_to and i.quote_currency = p_from and i.as_of <= p_at
    ) as r
    order by r.as_of desc
    limit 1;
    if v_rate is null then
        perform app.raise_error('P0002', pg_catalog.format('no %s/%s rate at or before %s', app.quote_input(p_from), app.quote_input(p_to), p_at),
            'Load a rate into market.fx_rates.');
    end if;
    return pg_catalog.round(p_amount * v_rate, 8);
end
$$;

comment on function market.convert(numeric, text, text, timestamptz) is
'p_amount in p_from converted to p_to at the newest rate at or before p_at (direct pair or its inverse), '
'rounded to 8 decimals; P0002 when no rate is known.';
