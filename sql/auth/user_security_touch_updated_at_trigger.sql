create or replace trigger user_security_touch_updated_at
before update on auth.user_security
for each row execute function app.touch_updated_at();

comment on trigger user_security_touch_updated_at on auth.user_security is 'Keeps updated_at current.';
