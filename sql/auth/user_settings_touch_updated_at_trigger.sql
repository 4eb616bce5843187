create or replace trigger user_settings_touch_updated_at
before update on auth.user_settings
for each row execute function app.touch_updated_at();

comment on trigger user_settings_touch_updated_at on auth.user_settings is 'Keeps updated_at current.';
