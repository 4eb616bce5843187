create or replace trigger platform_connections_touch_updated_at
before update on auth.platform_connections
for each row execute function app.touch_updated_at();

comment on trigger platform_connections_touch_updated_at on auth.platform_connections is 'Keeps updated_at current.';
