-- depends: fund/terms_inside_type.sql
-- A fund's terms lie inside its type's (issue 17): fees at most the type's, the investment range inside the
-- type's. api.create_fund refuses arguments outside them (22023, naming the argument); this holds the rule
-- for every writer of the row. The type's row is share-locked, so a concurrent change of the type waits
-- for this fund, and fund.fund_types_cover_funds, run by that change, sees it.
create or replace function fund.funds_within_type()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_type fund.fund_types;
begin
    select * into v_type from fund.fund_types as t where t.name = new.fund_type for share;
    if not fund.terms_inside_type(new, v_type) then
        perform app.raise_error('23514', pg_catalog.format(
            'fund %s''s terms (fees %s and %s, investments %s to %s) lie outside its type %s''s (fees at most %s and '
            '%s, investments %s to %s)', new.id, new.management_fee_rate, new.performance_fee_rate,
            new.min_investment, new.max_investment, v_type.name, v_type.management_fee_rate,
            v_type.performance_fee_rate, v_type.min_investment, v_type.max_investment
        ), 'Keep the fees at most the type''s and the investment range inside the type''s (fund.fund_types).');
    end if;
    return new;
end
$$;

comment on function fund.funds_within_type() is
'Trigger: 23514 when a fund''s fees exceed its type''s or its investment range leaves the type''s (the type''s row '
'share-locked).';
