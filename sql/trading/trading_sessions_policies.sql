drop policy if exists trading_sessions_owner_read on trading.trading_sessions;
create policy trading_sessions_owner_read on trading.trading_sessions
for select
using (
    account_id in (
        select a.id from trading.accounts as a
        where a.user_id = (select app.current_user_id())
    )
    or (select app.is_admin())
);

comment on policy trading_sessions_owner_read on trading.trading_sessions is 'Rows of the acting user''s accounts; administrators see all.';
