-- Pre-trade risk rules, their violations and alerts, and user notifications (DESIGN §5 "Orders and
-- fills", "Events"). Rules apply to one account or, with account_id null, to every account of the user.
-- A notification's one-column rules are domains (see 0350_orders): a notification is written on
-- the trade path, and a domain's constraints are compiled once per connection, not per statement.
-- depends: 0350_orders
set local role tradebase_owner;

create domain notify.notification_kind as text
constraint notification_kind_is_known_ck check (
    value in (
        'order_filled', 'order_partially_filled', 'order_rejected', 'order_canceled', 'risk_alert',
        'goal_milestone', 'auto_invest_run', 'system'
    )
);
comment on domain notify.notification_kind is 'The event a notification reports.';

create domain notify.notification_level as text
constraint notification_level_is_known_ck check (value in ('info', 'warning', 'error', 'critical'));
comment on domain notify.notification_level is 'info | warning | error | critical.';

create domain notify.notification_data as jsonb
constraint notification_data_is_object_ck check (jsonb_typeof(value) = 'object');
comment on domain notify.notification_data is 'A JSON object with the ids and figures of an event.';

create table risk.risk_profiles (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    risk_tolerance text not null default 'medium',
    max_drawdown app.rate,
    notes text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint risk_profiles_user_fk foreign key (user_id) references auth.users (id),
    constraint risk_profiles_user_uk unique (user_id),
    constraint risk_profiles_tolerance_ck check (risk_tolerance in ('low', 'medium', 'high')),
    constraint risk_profiles_max_drawdown_fraction_ck check (max_drawdown > 0 and max_drawdown <= 1)
);
comment on table risk.risk_profiles is 'A user''s stated risk tolerance (the seeds'' risk_profiles).';
comment on column risk.risk_profiles.max_drawdown is 'The largest fall from peak equity the user accepts, as a fraction.';
alter table risk.risk_profiles enable row level security;

create table risk.rules (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    account_id uuid,
    rule_type text not null,
    threshold numeric(24, 8) not null,
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint rules_user_fk foreign key (user_id) references auth.users (id),
    constraint rules_account_fk foreign key (account_id) references trading.accounts (id),
    constraint rules_rule_type_ck check (
        rule_type in (
            'MAX_POSITION_SIZE', 'MAX_POSITION_PCT', 'MAX_ORDER_NOTIONAL', 'MAX_DAILY_LOSS', 'MAX_ORDERS_PER_DAY',
            'MIN_CAPITAL_THRESHOLD', 'MAX_DRAWDOWN'
        )
    ),
    constraint rules_threshold_positive_ck check (threshold > 0),
    constraint rules_fraction_rules_at_most_one_ck check (
        rule_type not in ('MAX_POSITION_PCT', 'MAX_DRAWDOWN') or threshold <= 1
    )
);
comment on table risk.rules is
'Pre-trade risk rules checked by api.execute_paper_trade; a breach rejects the order with the rule in its reason.';
comment on column risk.rules.account_id is 'The account the rule guards; null: every account of the user.';
comment on column risk.rules.threshold is
'MAX_POSITION_SIZE units; MAX_ORDER_NOTIONAL, MAX_DAILY_LOSS, MIN_CAPITAL_THRESHOLD account currency; '
'MAX_ORDERS_PER_DAY a count; MAX_POSITION_PCT and MAX_DRAWDOWN a fraction of equity.';
create index rules_user_ix on risk.rules (user_id);
create index rules_account_ix on risk.rules (account_id);
alter table risk.rules enable row level security;

create table risk.violations (
    id bigint generated always as identity primary key,
    rule_id uuid not null,
    account_id uuid not null,
    order_id uuid not null,
    rule_type text not null,
    threshold numeric(24, 8) not null,
    observed numeric(28, 10) not null,
    message text not null,
    created_at timestamptz not null default now(),
    constraint violations_rule_fk foreign key (rule_id) references risk.rules (id),
    constraint violations_account_fk foreign key (account_id) references trading.accounts (id),
    constraint violations_order_fk foreign key (order_id) references trading.orders (id)
);
comment on table risk.violations is 'Each order a risk rule rejected: the rule, its threshold and the value observed.';
comment on column risk.violations.observed is 'The value the rule measured for the order (units, money, count or fraction).';
create index violations_rule_ix on risk.violations (rule_id);
create index violations_account_created_ix on risk.violations (account_id, created_at);
create index violations_order_ix on risk.violations (order_id);
alter table risk.violations enable row level security;

create table risk.alerts (
    id bigint generated always as identity primary key,
    user_id uuid not null,
    account_id uuid not null,
    violation_id bigint,
    severity text not null default 'warning',
    message text not null,
    acknowledged_at timestamptz,
    created_at timestamptz not null default now(),
    constraint alerts_user_fk foreign key (user_id) references auth.users (id),
    constraint alerts_account_fk foreign key (account_id) references trading.accounts (id),
    constraint alerts_violation_fk foreign key (violation_id) references risk.violations (id),
    constraint alerts_severity_ck check (severity in ('info', 'warning', 'critical'))
);
comment on table risk.alerts is 'Risk alerts raised for a user (the seeds'' risk_alerts), e.g. by a rule violation.';
create index alerts_user_created_ix on risk.alerts (user_id, created_at);
create index alerts_account_ix on risk.alerts (account_id);
create index alerts_violation_ix on risk.alerts (violation_id);
alter table risk.alerts enable row level security;

create table notify.notifications (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    kind notify.notification_kind not null,
    level notify.notification_level not null default 'info',
    title text not null,
    message text not null,
    data notify.notification_data not null default '{}'::jsonb,
    read_at timestamptz,
    announced_at timestamptz,
    created_at timestamptz not null default now(),
    constraint notifications_user_fk foreign key (user_id) references auth.users (id)
);
comment on table notify.notifications is
'Messages for a user (fills, rejections, risk alerts, goals, auto-invest); each is also sent with '
'pg_notify(''tradebase_events'', json).';
comment on column notify.notifications.data is 'Ids and figures of the event (order_id, account_id, ...).';
comment on column notify.notifications.announced_at is
'When the event went out on the tradebase_events channel; null while it waits for notify.announce_pending.';
create index notifications_user_created_ix on notify.notifications (user_id, created_at);
create index notifications_unannounced_ix on notify.notifications (created_at) where announced_at is null;
alter table notify.notifications enable row level security;
