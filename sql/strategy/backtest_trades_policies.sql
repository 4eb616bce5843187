-- The acting user's rows; administrators read all.
drop policy if exists backtest_trades_owner_read on strategy.backtest_trades;
create policy backtest_trades_owner_read on strategy.backtest_trades
for select
using (
    user_id = (select app.current_user_id()) or (select app.is_admin())
);

comment on policy backtest_trades_owner_read on strategy.backtest_trades is 'Rows of the acting user; administrators see all.';
