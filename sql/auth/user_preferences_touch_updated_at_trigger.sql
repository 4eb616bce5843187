create or replace trigger user_preferences_touch_updated_at
before update on auth.user_preferences
for each row execute function app.touch_updated_at();

comment on trigger user_preferences_touch_updated_at on auth.user_preferences is 'Keeps updated_at current.';
