drop policy if exists fund_strategies_read on fund.fund_strategies;
create policy fund_strategies_read on fund.fund_strategies
for select
using (fund_id in (select f.id from fund.funds as f));
comment on policy fund_strategies_read on fund.fund_strategies is 'Strategies of the funds the user may see (funds_read).';
