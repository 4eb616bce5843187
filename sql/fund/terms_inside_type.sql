-- Whether a fund's terms lie inside its type's (issue 17): fees at most the type's, the investment range
-- inside the type's. The one statement of the rule, for both of its triggers (fund.funds_within_type,
-- fund.fund_types_cover_funds); an inlinable SQL function.
create or replace function fund.terms_inside_type(p_fund fund.funds, p_type fund.fund_types)
returns boolean
language sql
immutable
parallel safe
as $$
    select
        (p_fund).management_fee_rate <= (p_type).management_fee_rate
        and (p_fund).performance_fee_rate <= (p_type).performance_fee_rate
        and (p_fund).min_investment >= (p_type).min_investment
        and (p_fund).max_investment <= (p_type).max_investment
$$;

comment on function fund.terms_inside_type(fund.funds, fund.fund_types) is
'Whether fund p_fund''s fees are at most type p_type''s and its investment range lies inside the type''s.';
