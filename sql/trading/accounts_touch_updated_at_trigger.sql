create or replace trigger accounts_touch_updated_at
before update on trading.accounts
for each row execute function app.touch_updated_at();

comment on trigger accounts_touch_updated_at on trading.accounts is 'Keeps updated_at current.';
