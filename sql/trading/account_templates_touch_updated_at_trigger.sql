create or replace trigger account_templates_touch_updated_at
before update on trading.account_templates
for each row execute function app.touch_updated_at();

comment on trigger account_templates_touch_updated_at on trading.account_templates is 'Keeps updated_at current.';
