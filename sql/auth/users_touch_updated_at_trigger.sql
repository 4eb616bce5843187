create or replace trigger users_touch_updated_at
before update on auth.users
for each row execute function app.touch_updated_at();

comment on trigger users_touch_updated_at on auth.users is 'Keeps updated_at current.';
