create or replace trigger funds_touch_updated_at
before update on fund.funds
for each row execute function app.touch_updated_at();

comment on trigger funds_touch_updated_at on fund.funds is 'Keeps updated_at current.';
