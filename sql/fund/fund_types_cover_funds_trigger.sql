-- depends: fund/fund_types_cover_funds.sql
create or replace trigger fund_types_cover_funds
before update of management_fee_rate, performance_fee_rate, min_investment, max_investment
on fund.fund_types
for each row execute function fund.fund_types_cover_funds();

comment on trigger fund_types_cover_funds on fund.fund_types is
'A fund type''s terms cover every fund of the type (fund.fund_types_cover_funds).';
