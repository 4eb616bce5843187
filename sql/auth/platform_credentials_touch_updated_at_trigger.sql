create or replace trigger platform_credentials_touch_updated_at
before update on auth.platform_credentials
for each row execute function app.touch_updated_at();

comment on trigger platform_credentials_touch_updated_at on auth.platform_credentials is 'Keeps updated_at current.';
