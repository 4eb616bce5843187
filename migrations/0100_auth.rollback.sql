-- Undo 0100: the identity tables and their error codes.
set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB001', 'TB002', 'TB003', 'TB004', 'TB005', 'TB006', 'TB007', 'TB008', 'TB009');
drop table auth.sync_logs cascade;
drop table auth.platform_credentials cascade;
drop table auth.platform_connections cascade;
drop table auth.user_settings cascade;
drop table auth.user_preferences cascade;
drop table auth.api_keys cascade;
drop table auth.user_sessions cascade;
drop table auth.user_security cascade;
drop table auth.users cascade;
drop table auth.secrets cascade;
drop table auth.settings cascade;
