-- The acting user's rows; administrators read all.
drop policy if exists backtest_equity_owner_read on strategy.backtest_equity;
create policy backtest_equity_owner_read on strategy.backtest_equity
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy backtest_equity_owner_read on strategy.backtest_equity is 'Rows of the acting user; administrators see all.';
