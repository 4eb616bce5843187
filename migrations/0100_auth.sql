-- Identity: users and everything hanging off them, plus the owner-only settings and secrets the
-- identity functions need. Columns holding secrets carry a comment starting with 'Secret:' —
-- ops.catalog_lint() (secret_readable_by_role) and the audit redaction both key on that tag.
-- depends: 0001_foundation

set local role tradebase_owner;

create table auth.settings (
    name text primary key,
    value text not null,
    description text not null,
    constraint settings_name_is_snake_case_ck check (name ~ '^[a-z][a-z0-9_]*$'),
    constraint settings_bcrypt_cost_range_ck check (name <> 'bcrypt_cost' or value in (
        '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16'
    ))
);
comment on table auth.settings is
'Tunable identity parameters (bcrypt cost); owner-only, read by the definer functions.';
alter table auth.settings enable row level security;

insert into auth.settings (name, value, description) values
('bcrypt_cost', '12', 'bcrypt work factor for new password hashes (4..16); tests lower it to 4.');

create table auth.secrets (
    name text primary key,
    secret text not null,
    rotated_at timestamptz not null default now(),
    constraint secrets_name_known_ck check (name in ('context_key', 'data_key')),
    constraint secrets_secret_long_enough_ck check (length(secret) >= 32)
);
comment on table auth.secrets is
'Keys only the owner can read: context_key signs the request context, data_key encrypts credentials.';
comment on column auth.secrets.secret is 'Secret: the key material (hex or operator-supplied passphrase).';
alter table auth.secrets enable row level security;

-- The data key may be supplied by the operator (PGOPTIONS='-c tradebase.data_key=...' during the
-- first migrate); otherwise it is generated here. The context key is always generated.
insert into auth.secrets (name, secret) values
('context_key', encode(extensions.gen_random_bytes(32), 'hex')),
(
    'data_key',
    coalesce(nullif(current_setting('tradebase.data_key', true), ''), encode(extensions.gen_random_bytes(32), 'hex'))
);

create table auth.users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    username text not null,
    first_name text,
    last_name text,
    phone text,
    date_of_birth date,
    country text,
    kyc_status text not null default 'pending',
    kyc_verified_at timestamptz,
    role text not null default 'investor',
    is_active boolean not null default true,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    constraint users_email_format_ck check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    constraint users_email_length_ck check (length(email) <= 254),
    constraint users_username_format_ck check (username ~ '^[A-Za-z0-9_.-]{3,50}$'),
    constraint users_names_length_ck check (length(first_name) <= 100 and length(last_name) <= 100),
    constraint users_phone_format_ck check (phone ~ '^\+?[0-9 ()-]{5,20}$'),
    constraint users_country_is_iso2_ck check (country ~ '^[A-Z]{2}$'),
    constraint users_kyc_status_ck check (kyc_status in ('pending', 'verified', 'rejected')),
    constraint users_kyc_verified_at_only_when_verified_ck check (kyc_verified_at is null or kyc_status = 'verified'),
    constraint users_role_ck check (role in ('investor', 'trader', 'fund_manager')),
    constraint users_deleted_is_inactive_ck check (deleted_at is null or not is_active)
);
create unique index users_email_uk on auth.users (lower(email));
create unique index users_username_uk on auth.users (lower(username));
comment on table auth.users is 'People who use tradebase: profile, KYC state and role. Credentials live in auth.user_security.';
comment on column auth.users.email is 'Login name; unique case-insensitively (users_email_uk).';
comment on column auth.users.username is 'Login name; unique case-insensitively (users_username_uk).';
comment on column auth.users.country is 'ISO 3166-1 alpha-2 country code.';
comment on column auth.users.role is 'Business role in the product (investor, trader, fund_manager); support staff are database roles.';
comment on column auth.users.is_active is 'False: the user can neither log in nor authenticate.';
comment on column auth.users.deleted_at is 'Soft delete: set together with is_active = false.';
alter table auth.users enable row level security;

create table auth.user_security (
    user_id uuid primary key constraint user_security_user_fk references auth.users (id) on delete cascade,
    password_hash text,
    mfa_enabled boolean not null default false,
    mfa_method text,
    mfa_secret_encrypted bytea,
    backup_code_hashes text[] not null default '{}',
    tax_id_encrypted bytea,
    failed_login_attempts integer not null default 0,
    account_locked_until timestamptz,
    last_password_change timestamptz,
    session_timeout_minutes integer not null default 30,
    login_alerts_enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint user_security_mfa_method_ck check (mfa_method in ('totp', 'sms', 'email')),
    constraint user_security_mfa_needs_method_ck check (not mfa_enabled or mfa_method is not null),
    constraint user_security_failed_attempts_not_negative_ck check (failed_login_attempts >= 0),
    constraint user_security_session_timeout_range_ck check (session_timeout_minutes between 5 and 10080)
);
comment on table auth.user_security is
'Credentials and login state per user (one row, created by handle_new_user); no app or analyst access.';
comment on column auth.user_security.password_hash is 'Secret: bcrypt hash (pgcrypto crypt); null means no password login.';
comment on column auth.user_security.mfa_secret_encrypted is 'Secret: TOTP secret, pgp_sym_encrypt under the data key.';
comment on column auth.user_security.backup_code_hashes is 'Secret: SHA-256 hex of each unused MFA backup code.';
comment on column auth.user_security.tax_id_encrypted is 'Secret: tax id (PAN, SSN...), pgp_sym_encrypt under the data key.';
comment on column auth.user_security.failed_login_attempts is 'Consecutive failed logins; 5 lock the account for 15 minutes, success resets.';
comment on column auth.user_security.session_timeout_minutes is 'Idle lifetime of this user''s sessions.';
alter table auth.user_security enable row level security;

create table auth.user_sessions (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null constraint user_sessions_user_fk references auth.users (id) on delete cascade,
    token_hash bytea not null,
    device_type text,
    device_name text,
    ip_address inet,
    user_agent text,
    created_at timestamptz not null default now(),
    last_activity_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    constraint user_sessions_token_hash_uk unique (token_hash),
    constraint user_sessions_device_type_ck check (device_type in ('mobile', 'desktop', 'tablet', 'server')),
    constraint user_sessions_expiry_after_creation_ck check (expires_at > created_at)
);
create index user_sessions_user_idx on auth.user_sessions (user_id);
create index user_sessions_expires_idx on auth.user_sessions (expires_at) where revoked_at is null;
comment on table auth.user_sessions is 'Login sessions; the token is shown once by api.login and stored only as a hash.';
comment on column auth.user_sessions.token_hash is 'Secret: SHA-256 of the session token.';
comment on column auth.user_sessions.expires_at is 'Idle expiry; api.authenticate slides it forward by the user''s session timeout.';
comment on column auth.user_sessions.revoked_at is 'Set by api.logout or a password change; a revoked token no longer authenticates.';
alter table auth.user_sessions enable row level security;

create table auth.api_keys (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null constraint api_keys_user_fk references auth.users (id) on delete cascade,
    name text not null,
    key_hash bytea not null,
    key_prefix text not null,
    permissions jsonb not null default '{}',
    expires_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    constraint api_keys_key_hash_uk unique (key_hash),
    constraint api_keys_name_length_ck check (length(name) between 1 and 100),
    constraint api_keys_permissions_is_object_ck check (jsonb_typeof(permissions) = 'object'),
    constraint api_keys_expiry_after_creation_ck check (expires_at > created_at)
);
create index api_keys_user_idx on auth.api_keys (user_id);
create unique index api_keys_user_name_uk on auth.api_keys (user_id, name) where revoked_at is null;
comment on table auth.api_keys is 'API keys for programmatic access; the key is shown once by api.create_api_key.';
comment on column auth.api_keys.key_hash is 'Secret: SHA-256 of the API key.';
comment on column auth.api_keys.key_prefix is 'The first characters of the key, to recognise it in a list.';
comment on column auth.api_keys.permissions is 'Scopes granted to the key (free-form object checked by the functions that use it).';
alter table auth.api_keys enable row level security;

create table auth.user_preferences (
    user_id uuid primary key constraint user_preferences_user_fk references auth.users (id) on delete cascade,
    theme text not null default 'light',
    language text not null default 'en',
    currency text not null default 'USD',
    timezone text not null default 'UTC',
    date_format text not null default 'YYYY-MM-DD',
    number_format text not null default 'international',
    default_view text not null default 'dashboard',
    chart_type text not null default 'line',
    data_refresh_interval integer not null default 60,
    items_per_page integer not null default 20,
    email_market_alerts boolean not null default true,
    email_price_alerts boolean not null default true,
    email_portfolio_updates boolean not null default true,
    email_transaction_confirmations boolean not null default true,
    email_monthly_reports boolean not null default true,
    email_ai_recommendations boolean not null default true,
    email_news_digest boolean not null default false,
    sms_transaction_alerts boolean not null default true,
    sms_security_alerts boolean not null default true,
    sms_login_alerts boolean not null default true,
    sms_payment_reminders boolean not null default false,
    push_market_movements boolean not null default true,
    push_goal_milestones boolean not null default true,
    push_auto_invest_executions boolean not null default true,
    push_portfolio_changes boolean not null default true,
    push_daily_summary boolean not null default false,
    price_alert_frequency text not null default 'instant',
    portfolio_update_frequency text not null default 'daily',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint user_preferences_theme_ck check (theme in ('light', 'dark', 'auto')),
    constraint user_preferences_language_ck check (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    constraint user_preferences_currency_ck check (currency ~ '^[A-Z]{3}$'),
    constraint user_preferences_timezone_length_ck check (length(timezone) between 1 and 64),
    constraint user_preferences_date_format_ck check (date_format in ('YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY')),
    constraint user_preferences_number_format_ck check (number_format in ('international', 'indian', 'european')),
    constraint user_preferences_default_view_ck check (
        default_view in ('dashboard', 'portfolio', 'trading', 'funds', 'goals', 'analytics')
    ),
    constraint user_preferences_chart_type_ck check (chart_type in ('line', 'candlestick', 'bar', 'area')),
    constraint user_preferences_refresh_interval_ck check (data_refresh_interval between 5 and 3600),
    constraint user_preferences_items_per_page_ck check (items_per_page between 5 and 200),
    constraint user_preferences_price_alert_frequency_ck check (
        price_alert_frequency in ('instant', 'hourly', 'daily', 'never')
    ),
    constraint user_preferences_portfolio_update_frequency_ck check (
        portfolio_update_frequency in ('instant', 'daily', 'weekly', 'monthly', 'never')
    )
);
comment on table auth.user_preferences is
'Typed display and notification preferences, one row per user (created by handle_new_user).';
comment on column auth.user_preferences.data_refresh_interval is 'Seconds between automatic data refreshes in the UI.';
alter table auth.user_preferences enable row level security;

create table auth.user_settings (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null constraint user_settings_user_fk references auth.users (id) on delete cascade,
    name text not null,
    value jsonb not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint user_settings_user_name_uk unique (user_id, name),
    constraint user_settings_name_format_ck check (name ~ '^[a-z][a-z0-9_.]{0,63}$')
);
comment on table auth.user_settings is 'Free-form per-user settings (name -> jsonb) for what the typed preferences do not cover.';
alter table auth.user_settings enable row level security;

create table auth.platform_connections (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null constraint platform_connections_user_fk references auth.users (id) on delete cascade,
    platform text not null,
    status text not null default 'connected',
    last_synced_at timestamptz,
    sync_frequency_minutes integer not null default 60,
    auto_sync_enabled boolean not null default true,
    holdings_count integer not null default 0,
    total_value app.money not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    disconnected_at timestamptz,
    constraint platform_connections_platform_format_ck check (platform ~ '^[a-z][a-z0-9_]{1,31}$'),
    constraint platform_connections_status_ck check (status in ('connected', 'disconnected', 'syncing', 'error')),
    constraint platform_connections_disconnected_at_ck check ((status = 'disconnected') = (disconnected_at is not null)),
    constraint platform_connections_sync_frequency_ck check (sync_frequency_minutes between 5 and 10080),
    constraint platform_connections_holdings_count_ck check (holdings_count >= 0)
);
create index platform_connections_user_idx on auth.platform_connections (user_id);
create unique index platform_connections_user_platform_active_uk
on auth.platform_connections (user_id, platform) where status <> 'disconnected';
comment on table auth.platform_connections is
'Brokers and exchanges a user linked; at most one live (not disconnected) row per user and platform. Credentials: auth.platform_credentials.';
comment on column auth.platform_connections.platform is 'Platform slug, e.g. zerodha, binance, alpaca.';
comment on column auth.platform_connections.total_value is 'Value of the holdings fetched by the last sync.';
alter table auth.platform_connections enable row level security;

create table auth.platform_credentials (
    connection_id uuid primary key
    constraint platform_credentials_connection_fk references auth.platform_connections (id) on delete cascade,
    api_key_encrypted bytea not null,
    api_secret_encrypted bytea not null,
    additional_auth_encrypted bytea,
    updated_at timestamptz not null default now()
);
comment on table auth.platform_credentials is
'Encrypted broker credentials of a platform connection; deleted on disconnect; no app or analyst access.';
comment on column auth.platform_credentials.api_key_encrypted is 'Secret: pgp_sym_encrypt under the data key.';
comment on column auth.platform_credentials.api_secret_encrypted is 'Secret: pgp_sym_encrypt under the data key.';
comment on column auth.platform_credentials.additional_auth_encrypted is
'Secret: platform-specific auth data (jsonb text), pgp_sym_encrypt under the data key.';
alter table auth.platform_credentials enable row level security;

create table auth.sync_logs (
    id bigint generated always as identity primary key,
    connection_id uuid not null constraint sync_logs_connection_fk references auth.platform_connections (id) on delete cascade,
    user_id uuid not null constraint sync_logs_user_fk references auth.users (id) on delete cascade,
    sync_type text not null,
    status text not null,
    holdings_fetched integer not null default 0,
    transactions_fetched integer not null default 0,
    error_message text,
    started_at timestamptz not null default now(),
    completed_at timestamptz,
    created_at timestamptz not null default now(),
    constraint sync_logs_sync_type_ck check (sync_type in ('manual', 'auto', 'scheduled')),
    constraint sync_logs_status_ck check (status in ('pending', 'in_progress', 'completed', 'failed')),
    constraint sync_logs_counts_not_negative_ck check (holdings_fetched >= 0 and transactions_fetched >= 0),
    constraint sync_logs_completed_after_start_ck check (completed_at >= started_at),
    constraint sync_logs_finished_has_completion_ck check (
        (status in ('completed', 'failed')) = (completed_at is not null)
    ),
    constraint sync_logs_failure_has_message_ck check (status <> 'failed' or error_message is not null)
);
create index sync_logs_connection_idx on auth.sync_logs (connection_id, started_at desc);
create index sync_logs_user_idx on auth.sync_logs (user_id);
comment on table auth.sync_logs is 'One row per synchronisation attempt of a platform connection.';
comment on column auth.sync_logs.user_id is 'Owner of the connection, copied so the RLS policy needs no join.';
alter table auth.sync_logs enable row level security;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB001', 'invalid_credentials', 'The login or password is wrong (the same error for both).',
    'Check the login and password; 5 consecutive failures lock the account for 15 minutes.'
),
('TB002', 'account_locked', 'Too many failed logins: the account is locked for a while.', 'Try again after 15 minutes.'),
(
    'TB003', 'invalid_token', 'The session token or API key is unknown, expired or revoked.',
    'Log in again or create a new API key.'
),
('TB004', 'account_disabled', 'The user account is disabled or deleted.', 'Contact support.'),
('TB005', 'weak_password', 'The password does not meet the password policy.', 'Use at least 10 characters.'),
('TB006', 'duplicate_email', 'Another user already has this email address.', 'Log in, or use another email address.'),
('TB007', 'duplicate_username', 'Another user already has this username.', 'Choose another username.'),
('TB008', 'not_authenticated', 'The call needs an authenticated user.', 'Call api.authenticate(token) first in this transaction.'),
(
    'TB009', 'platform_already_connected', 'The user already has a live connection to this platform.',
    'Disconnect the existing connection first.'
);
