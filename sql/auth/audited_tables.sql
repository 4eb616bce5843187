-- The identity tables under audit (audit.enable is idempotent, so re-applying this file is safe).
-- Sessions and sync logs are not row-audited: login/logout events cover sessions.
select audit.enable('auth.users');
select audit.enable('auth.user_security');
select audit.enable('auth.user_preferences');
select audit.enable('auth.user_settings');
select audit.enable('auth.api_keys');
select audit.enable('auth.platform_connections');
select audit.enable('auth.platform_credentials');
