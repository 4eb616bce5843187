-- depends: 0100_auth
-- Accounts (user accounts and the per-currency system accounts), account templates, and the
-- error codes of accounts and cash (TB040-TB059 belong to the ledger).
set local role tradebase_owner;

create domain trading.currency_code as text
constraint currency_code_is_iso_ck check (value ~ '^[A-Z]{3}$');
comment on domain trading.currency_code is 'An ISO 4217 currency code: three upper-case letters.';

create domain trading.account_type as text
constraint account_type_is_known_ck check (
    value in ('conservative', 'balanced', 'aggressive', 'day_trading', 'swing_trading')
);
comment on domain trading.account_type is 'The trading style an account is set up for.';

create domain trading.risk_level as text
constraint risk_level_is_known_ck check (value in ('very_low', 'low', 'medium', 'high', 'very_high', 'aggressive'));
comment on domain trading.risk_level is 'How much risk the account owner accepts.';

create domain trading.cost_basis_method as text
constraint cost_basis_method_is_known_ck check (value in ('fifo', 'average'));
comment on domain trading.cost_basis_method is 'How sells close lots: first in first out, or at average cost.';

-- Rules on one column of trading.accounts are domains, not check constraints: PostgreSQL re-reads,
-- plans and compiles every CHECK constraint of a table for each INSERT or UPDATE statement, whatever
-- columns it sets, while a domain's constraints are compiled once per connection (type cache) and
-- checked only where a value is assigned to it. The account's cash is written on every trade.
create domain app.nonnegative_money as app.money
constraint nonnegative_money_not_below_zero_ck check (value >= 0);
comment on domain app.nonnegative_money is 'An amount of cash, zero or more (a balance, a fee, a reservation).';

create domain trading.account_kind as text
constraint account_kind_is_known_ck check (value in ('paper', 'live', 'fund', 'system'));
comment on domain trading.account_kind is 'paper | live | fund | system.';

create domain trading.account_status as text
constraint account_status_is_known_ck check (value in ('active', 'paused', 'archived', 'suspended'));
comment on domain trading.account_status is 'active | paused | archived | suspended.';

create domain trading.account_name as text
constraint account_name_not_blank_ck check (btrim(value) <> '' and length(value) <= 100);
comment on domain trading.account_name is 'An account''s name: 1 to 100 characters, not blank.';

create domain trading.system_purpose as text
constraint system_purpose_is_known_ck check (
    value in ('external_cash', 'market_clearing', 'fee_income', 'paper_capital')
);
comment on domain trading.system_purpose is 'What a system account is for: external_cash, market_clearing, fee_income, paper_capital.';

create domain trading.commission_rate as app.rate
constraint commission_rate_between_zero_and_one_ck check (value >= 0 and value <= 1);
comment on domain trading.commission_rate is 'Commission as a fraction of notional, from 0 to 1.';

create domain trading.volume_participation as app.rate
constraint volume_participation_in_range_ck check (value > 0 and value <= 1);
comment on domain trading.volume_participation is 'A share of a bar''s volume, above 0 and at most 1.';

create domain trading.slippage_bps as numeric(8, 2)
constraint slippage_bps_in_range_ck check (value >= 0 and value <= 10000);
comment on domain trading.slippage_bps is 'Slippage in basis points, from 0 to 10000.';

create table trading.account_templates (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text not null,
    account_type trading.account_type not null,
    risk_level trading.risk_level not null,
    initial_balance app.money not null,
    cost_basis_method trading.cost_basis_method not null default 'fifo',
    commission_per_order app.money not null default 0,
    commission_rate app.rate not null default 0,
    slippage_bps numeric(8, 2) not null default 0,
    allow_short boolean not null default false,
    max_volume_participation app.rate,
    is_public boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint account_templates_name_uk unique (name),
    constraint account_templates_name_is_snake_case_ck check (name ~ '^[a-z][a-z0-9_]{0,49}$'),
    constraint account_templates_initial_balance_not_negative_ck check (initial_balance >= 0),
    constraint account_templates_commission_not_negative_ck check (
        commission_per_order >= 0 and commission_rate >= 0 and commission_rate <= 1
    ),
    constraint account_templates_slippage_bps_in_range_ck check (slippage_bps >= 0 and slippage_bps <= 10000),
    constraint account_templates_max_volume_participation_in_range_ck check (
        max_volume_participation > 0 and max_volume_participation <= 1
    )
);
comment on table trading.account_templates is
'Presets for new accounts (the seeds'' account_templates): style, risk level, starting cash and settings.';
comment on column trading.account_templates.name is 'The key api.create_account takes as p_template.';
comment on column trading.account_templates.is_public is 'Public templates are listed to every user.';

alter table trading.account_templates enable row level security;

insert into trading.account_templates (
    name, description, account_type, risk_level, initial_balance, cost_basis_method,
    commission_per_order, commission_rate, slippage_bps, allow_short, max_volume_participation
) values
(
    'conservative', 'Long-only, low risk, small slippage and a cap on volume participation.',
    'conservative', 'low', 100000, 'fifo', 0, 0, 2, false, 0.10
),
(
    'balanced', 'The default paper account: commission-free, no slippage, long-only.',
    'balanced', 'medium', 100000, 'fifo', 0, 0, 0, false, null
),
('aggressive', 'Shorts allowed, realistic slippage.', 'aggressive', 'high', 100000, 'fifo', 0, 0, 10, true, null),
(
    'day_trading', 'Intraday trading with per-order and per-notional commissions.',
    'day_trading', 'high', 50000, 'fifo', 1, 0.0005, 5, true, 0.25
),
(
    'swing_trading', 'Multi-day holds at average cost with a commission rate.',
    'swing_trading', 'medium', 25000, 'average', 0, 0.001, 5, false, null
);

create table trading.accounts (
    id uuid primary key default gen_random_uuid(),
    user_id uuid constraint accounts_user_fk references auth.users (id),
    template_id uuid constraint accounts_template_fk references trading.account_templates (id),
    name trading.account_name not null,
    kind trading.account_kind not null,
    account_type trading.account_type not null default 'balanced',
    risk_level trading.risk_level not null default 'medium',
    base_currency trading.currency_code not null,
    initial_balance app.nonnegative_money not null default 0,
    cash app.nonnegative_money,
    reserved_cash app.nonnegative_money not null default 0,
    status trading.account_status not null default 'active',
    is_default boolean not null default false,
    system_purpose trading.system_purpose,
    cost_basis_method trading.cost_basis_method not null default 'fifo',
    commission_per_order app.nonnegative_money not null default 0,
    commission_rate trading.commission_rate not null default 0,
    slippage_bps trading.slippage_bps not null default 0,
    allow_short boolean not null default false,
    max_volume_participation trading.volume_participation,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint accounts_owner_unless_system_ck check ((kind = 'system') = (user_id is null)),
    constraint accounts_system_purpose_only_for_system_ck check ((kind = 'system') = (system_purpose is not null)),
    constraint accounts_cash_only_for_user_accounts_ck check ((kind = 'system') = (cash is null)),
    constraint accounts_system_never_default_ck check (not (is_default and kind = 'system')),
    constraint accounts_system_purpose_currency_uk unique (system_purpose, base_currency)
);
comment on table trading.accounts is
'Cash accounts: users'' paper, live and fund accounts, and one system account per (purpose, currency).';
comment on column trading.accounts.user_id is 'The owner; null only for system accounts.';
comment on column trading.accounts.template_id is 'The template the account was created from, if any.';
comment on column trading.accounts.kind is 'paper | live | fund | system.';
comment on column trading.accounts.initial_balance is 'Cash the account started with; a paper reset returns to it.';
comment on column trading.accounts.cash is
'Current cash of a user account, kept by trading.post_journal and trading.apply_fill; null for system accounts '
'(their balance is the sum of their postings, so they are never a hot row).';
comment on column trading.accounts.reserved_cash is 'Cash held by open buy orders (maintained by the order engine).';
comment on column trading.accounts.is_default is 'The account apps open first; at most one per user.';
comment on column trading.accounts.system_purpose is
'For system accounts: external_cash (deposits/withdrawals), market_clearing (trades), fee_income, paper_capital.';
comment on column trading.accounts.cost_basis_method is 'fifo or average; fixed once the account has trades.';
comment on column trading.accounts.commission_per_order is 'Flat commission charged with an order''s first fill.';
comment on column trading.accounts.commission_rate is 'Commission as a fraction of each fill''s notional.';
comment on column trading.accounts.slippage_bps is 'Market and stop fills move this many basis points against the trader.';
comment on column trading.accounts.allow_short is 'Whether sells may take a position below zero.';
comment on column trading.accounts.max_volume_participation is
'Largest share of a bar''s volume one fill may take; null means unlimited.';

create unique index accounts_one_default_per_user_uk on trading.accounts (user_id) where is_default;
create unique index accounts_user_name_uk on trading.accounts (user_id, lower(name));
create index accounts_template_idx on trading.accounts (template_id);

alter table trading.accounts enable row level security;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB040', 'insufficient_funds', 'The account''s available cash does not cover the amount.',
    'Deposit cash or use a smaller amount.'
),
(
    'TB041', 'unbalanced_journal', 'A journal''s postings do not sum to zero in each currency.',
    'Post lines that balance per currency.'
),
(
    'TB042', 'idempotency_conflict', 'The idempotency key was already used with different arguments.',
    'Use a new key for a new request, or repeat the first request exactly.'
),
(
    'TB043', 'account_not_active', 'The account is paused, archived or suspended.',
    'Reactivate the account first.'
),
(
    'TB044', 'currency_mismatch', 'The accounts involved hold different currencies.',
    'Transfer between accounts of the same base currency.'
),
(
    'TB045', 'account_name_taken', 'The user already has an account with this name.',
    'Choose another name.'
);
