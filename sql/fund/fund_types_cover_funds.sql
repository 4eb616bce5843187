-- depends: fund/terms_inside_type.sql
-- A fund type's new terms still cover every fund of the type (fund.funds_within_type holds the other side):
-- lowering a type's fees or narrowing its range waits for the funds being written (they share-lock the
-- type's row) and is refused while a fund of the type lies outside.
create or replace function fund.fund_types_cover_funds()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_fund uuid;
begin
    select f.id into v_fund
    from fund.funds as f
    where f.fund_type = new.name and not fund.terms_inside_type(f, new)
    order by f.id
    limit 1;
    if v_fund is not null then
        perform app.raise_error('23514', pg_catalog.format(
            'fund type %s''s new terms (fees at most %s and %s, investments %s to %s) leave out fund %s', new.name,
            new.management_fee_rate, new.performance_fee_rate, new.min_investment, new.max_investment, v_fund
        ), 'Change the funds of the type first: each fund''s terms lie inside its type''s.');
    end if;
    return new;
end
$$;

comment on function fund.fund_types_cover_funds() is
'Trigger: 23514 when a fund type''s new fees or investment range would leave out one of its funds.';
