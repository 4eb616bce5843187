-- The ground every later migration stands on: roles, schemas, extensions, money domains,
-- the error-code catalogue and the sql/ object registry.
--
-- Roles are cluster-wide, so they are created only when missing and never dropped by the
-- rollback (other databases on the same server may use them).

do $roles$
begin
    if not exists (select from pg_roles where rolname = 'tradebase_owner') then
        create role tradebase_owner nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'tradebase_app') then
        create role tradebase_app nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'tradebase_analyst') then
        create role tradebase_analyst nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'tradebase_admin') then
        create role tradebase_admin nologin;
    end if;
    -- A non-superuser migrator (CREATEROLE) must be able to SET ROLE tradebase_owner.
    if not (select rolsuper from pg_roles where rolname = current_user)
        and not pg_has_role(current_user, 'tradebase_owner', 'member') then
        execute 'grant tradebase_owner to ' || quote_ident(current_user);
    end if;
end
$roles$;

comment on role tradebase_owner is 'Owns every tradebase object; nobody logs in as it.';
comment on role tradebase_app is 'Apps log in as a member of this role: api functions and views only.';
comment on role tradebase_analyst is 'Analysts: SELECT on the analytics schema only, no personal data.';
comment on role tradebase_admin is 'Support staff: may act as a user through api.act_as; every action audited.';

create schema if not exists extensions authorization tradebase_owner;
comment on schema extensions is 'Extensions (pgcrypto), referenced with qualified names.';
create extension if not exists pgcrypto with schema extensions;

create schema app authorization tradebase_owner;
create schema auth authorization tradebase_owner;
create schema market authorization tradebase_owner;
create schema trading authorization tradebase_owner;
create schema fund authorization tradebase_owner;
create schema risk authorization tradebase_owner;
create schema strategy authorization tradebase_owner;
create schema planning authorization tradebase_owner;
create schema notify authorization tradebase_owner;
create schema audit authorization tradebase_owner;
create schema ops authorization tradebase_owner;
create schema api authorization tradebase_owner;
create schema analytics authorization tradebase_owner;

comment on schema app is 'Request context, domains, shared helpers and the error catalogue.';
comment on schema auth is 'Users, credentials, sessions, API keys, preferences, platform connections.';
comment on schema market is 'Securities, bars, latest quotes, benchmarks and FX rates.';
comment on schema trading is 'Accounts, ledger postings, orders, fills, positions and lots.';
comment on schema fund is 'Pooled funds: types, investors, flows, fees and performance.';
comment on schema risk is 'Risk profiles, pre-trade rules, violations, alerts and metrics.';
comment on schema strategy is 'Strategies, bots, signals, backtests and copy trading.';
comment on schema planning is 'Goals, contributions and auto-invest plans.';
comment on schema notify is 'User notifications.';
comment on schema audit is 'The append-only audit trail.';
comment on schema ops is 'Operations: object registry, partitions, retention, invariants, lints.';
comment on schema api is 'What apps may call and read: functions and security_invoker views only.';
comment on schema analytics is 'What analysts may read: views without personal data and metric functions.';

-- Functions are private until a grants.sql file says otherwise.
alter default privileges for role tradebase_owner revoke execute on functions from public;

set local role tradebase_owner;

create domain app.money as numeric(24, 8)
constraint money_is_finite check (value not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric));
comment on domain app.money is 'An amount of cash: exact, 8 decimals, never NaN or infinite.';

create domain app.price as numeric(24, 8)
constraint price_is_finite check (value not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric));
comment on domain app.price is 'A price per unit: exact, 8 decimals, never NaN or infinite.';

create domain app.quantity as numeric(28, 10)
constraint quantity_is_finite check (value not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric));
comment on domain app.quantity is 'A number of units (fractional shares, crypto): 10 decimals, finite.';

create domain app.rate as numeric(12, 8)
constraint rate_is_finite check (value not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric));
comment on domain app.rate is 'A rate or fraction (fee rate, FX rate, share of volume): 8 decimals, finite.';

create table app.error_codes (
    sqlstate text primary key,
    name text not null,
    description text not null,
    default_hint text,
    constraint error_codes_sqlstate_is_five_characters_ck check (sqlstate ~ '^[0-9A-Z]{5}$'),
    constraint error_codes_name_is_snake_case_ck check (name ~ '^[a-z][a-z0-9_]*$'),
    constraint error_codes_name_uk unique (name)
);
comment on table app.error_codes is
'Every SQLSTATE an app can receive from tradebase; docs/errors.md and the Python exceptions follow it.';
comment on column app.error_codes.default_hint is 'The HINT used when the raising function gives none.';

insert into app.error_codes (sqlstate, name, description, default_hint) values
('22023', 'invalid_parameter', 'An argument is malformed or out of range.', 'Check the argument named in the message.'),
('23514', 'check_violation', 'A value breaks a rule of the data model.', null),
(
    '42501', 'not_allowed', 'The acting user may not touch this object or call this function.',
    'Authenticate as the owner of the object, or ask an administrator.'
),
('P0002', 'not_found', 'The object named in the message does not exist (or is not visible to you).', null);

create table ops.sql_objects (
    path text primary key,
    checksum text not null,
    fingerprint text,
    applied_at timestamptz not null default now(),
    constraint sql_objects_path_is_relative_sql_ck check (path ~ '^[a-z_]+/[a-z0-9_/]+\.sql$')
);
comment on table ops.sql_objects is 'The sql/ files tradebase migrate applied: checksum of the file and of what it deployed.';
comment on column ops.sql_objects.checksum is 'sha256 of the file as applied.';
comment on column ops.sql_objects.fingerprint is
'sha256 of the deployed catalog definitions of the objects the file creates; a mismatch is drift.';
