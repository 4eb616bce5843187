-- depends: fund/funds_within_type.sql
create or replace trigger funds_within_type
before insert or update of fund_type, management_fee_rate, performance_fee_rate, min_investment, max_investment
on fund.funds
for each row execute function fund.funds_within_type();

comment on trigger funds_within_type on fund.funds is
'A fund''s fees are at most its type''s and its investment range lies inside the type''s (fund.funds_within_type).';
