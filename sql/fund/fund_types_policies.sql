drop policy if exists fund_types_public_read on fund.fund_types;
create policy fund_types_public_read on fund.fund_types
for select
using (true);
comment on policy fund_types_public_read on fund.fund_types is 'Everyone reads the fund types.';
