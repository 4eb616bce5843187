-- depends: 0560_actors 0620_snapshot_flows 0660_analytics_refresh_job
-- Pooled funds (issue 17, docs/funds.md): fund types, funds trading through their own account (kind
-- fund), investors' holdings and subscription lots (a high-water mark per lot, so no investor pays a
-- performance fee on gains made before they joined), forward-priced flows, fee accruals, strategy
-- allocations, and the daily performance snapshots (partitioned by year). KYC decisions stay in
-- auth.users.kyc_status (seeds 000/003 keep it there; auth.users is row-audited already).
-- Subscription cash waits in a system account of its own (purpose fund_subscriptions), not in the fund
-- account: the manager cannot trade it and the fund's NAV is its account's cash and positions as they are.
set local role tradebase_owner;

create table fund.fund_types (
    name text primary key,
    description text not null,
    min_investment app.money not null,
    max_investment app.money not null,
    management_fee_rate app.rate not null,
    performance_fee_rate app.rate not null,
    constraint fund_types_name_is_snake_case_ck check (name ~ '^[a-z][a-z0-9_]{0,49}$'),
    constraint fund_types_investment_range_ck check (min_investment > 0 and max_investment >= min_investment),
    constraint fund_types_fee_rates_between_zero_and_one_ck check (
        management_fee_rate >= 0 and management_fee_rate < 1 and performance_fee_rate >= 0 and performance_fee_rate < 1
    )
);
comment on table fund.fund_types is
'The kinds of fund a manager may open (seed 000): the investment range and the highest fees a fund of the type may charge.';
comment on column fund.fund_types.min_investment is 'Smallest net investment per investor a fund of this type may set.';
comment on column fund.fund_types.max_investment is 'Largest net investment per investor a fund of this type may set.';
comment on column fund.fund_types.management_fee_rate is 'Highest yearly management fee (a fraction of NAV, accrued daily ACT/365).';
comment on column fund.fund_types.performance_fee_rate is 'Highest performance fee (a fraction of a lot''s gain above its high-water mark).';

alter table fund.fund_types enable row level security;

insert into fund.fund_types (name, description, min_investment, max_investment, management_fee_rate, performance_fee_rate)
values
('mini', 'Small tickets: 1,000 to 10,000 per investor.', 1000, 10000, 0.02, 0.20),
('standard', 'Standard tickets: 10,000 to 100,000 per investor.', 10000, 100000, 0.015, 0.15),
('premium', 'Large tickets: 100,000 to 1,000,000 per investor.', 100000, 1000000, 0.01, 0.10);

create table fund.funds (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text,
    manager_id uuid not null constraint funds_manager_fk references auth.users (id),
    fund_type text not null constraint funds_fund_type_fk references fund.fund_types (name),
    account_id uuid not null constraint funds_account_fk references trading.accounts (id),
    fee_account_id uuid not null constraint funds_fee_account_fk references trading.accounts (id),
    benchmark_id uuid constraint funds_benchmark_fk references market.benchmarks (id),
    management_fee_rate app.rate not null,
    performance_fee_rate app.rate not null,
    min_investment app.money not null,
    max_investment app.money not null,
    max_investors integer,
    status text not null default 'active',
    risk_level trading.risk_level not null default 'medium',
    crystallization_date date not null,
    shares_outstanding app.quantity not null default 0,
    accrued_management_fee app.money not null default 0,
    nav_per_share numeric(28, 10) not null default 1,
    last_strike_date date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint funds_name_not_blank_ck check (btrim(name) <> '' and length(name) <= 90),
    constraint funds_description_length_ck check (length(description) <= 2000),
    constraint funds_status_is_known_ck check (status in ('active', 'paused', 'closed')),
    constraint funds_investment_range_ck check (min_investment > 0 and max_investment >= min_investment),
    constraint funds_max_investors_positive_ck check (max_investors > 0),
    constraint funds_fee_rates_not_negative_ck check (management_fee_rate >= 0 and performance_fee_rate >= 0),
    constraint funds_shares_outstanding_not_negative_ck check (shares_outstanding >= 0),
    constraint funds_accrued_management_fee_not_negative_ck check (accrued_management_fee >= 0),
    constraint funds_nav_per_share_positive_ck check (nav_per_share > 0),
    constraint funds_account_uk unique (account_id)
);
comment on table fund.funds is
'Pooled funds (issue 17): a manager, a type whose limits hold its fees and investment range, its own trading account '
'(kind fund) and the manager''s account its fees are paid to.';
comment on column fund.funds.account_id is
'The fund''s trading account (kind fund, owned by the manager): cash leaves it only as dealt redemptions and fees.';
comment on column fund.funds.fee_account_id is 'The manager''s live account the management and performance fees are paid to.';
comment on column fund.funds.management_fee_rate is 'Yearly management fee, at most the type''s; accrued daily ACT/365 on NAV net of accrued fees.';
comment on column fund.funds.performance_fee_rate is 'Performance fee per lot above its high-water mark, at most the type''s.';
comment on column fund.funds.min_investment is 'Smallest net investment per investor, inside the type''s range.';
comment on column fund.funds.max_investment is 'Largest net investment per investor, inside the type''s range.';
comment on column fund.funds.max_investors is 'Most investors holding shares or waiting to; null: the type''s range only.';
comment on column fund.funds.status is 'active (takes subscriptions, struck daily) | paused (struck, no subscriptions) | closed.';
comment on column fund.funds.crystallization_date is
'The next date on which every lot''s accrued performance fee crystallizes; moves a year on when it does.';
comment on column fund.funds.shares_outstanding is 'Shares in issue: the sum of holdings and of open lots.';
comment on column fund.funds.accrued_management_fee is 'Management fee accrued and not yet paid (NAV is net of it).';
comment on column fund.funds.nav_per_share is 'NAV per share of the last strike (1 before the first and whenever no shares are in issue).';
comment on column fund.funds.last_strike_date is 'The UTC day of the last NAV strike; null before the first.';

create unique index funds_name_uk on fund.funds (lower(name));
create index funds_manager_idx on fund.funds (manager_id);
create index funds_fund_type_idx on fund.funds (fund_type);
create index funds_fee_account_idx on fund.funds (fee_account_id);
create index funds_benchmark_idx on fund.funds (benchmark_id);

alter table fund.funds enable row level security;

create table fund.holdings (
    fund_id uuid not null constraint holdings_fund_fk references fund.funds (id),
    user_id uuid not null constraint holdings_user_fk references auth.users (id),
    shares app.quantity not null default 0,
    net_invested app.money not null default 0,
    updated_at timestamptz not null default now(),
    constraint holdings_pk primary key (fund_id, user_id),
    constraint holdings_shares_not_negative_ck check (shares >= 0)
);
comment on table fund.holdings is 'Shares each investor holds in each fund (one row per investor and fund).';
comment on column fund.holdings.net_invested is
'Dealt subscriptions less dealt redemption proceeds (fees included): what the fund''s investment limits hold.';
create index holdings_user_idx on fund.holdings (user_id);

alter table fund.holdings enable row level security;

create table fund.flows (
    id uuid primary key default gen_random_uuid(),
    fund_id uuid not null constraint flows_fund_fk references fund.funds (id),
    user_id uuid not null constraint flows_user_fk references auth.users (id),
    account_id uuid not null constraint flows_account_fk references trading.accounts (id),
    kind text not null,
    status text not null default 'pending',
    amount app.money,
    shares app.quantity,
    nav_per_share numeric(28, 10),
    fee app.money not null default 0,
    request_journal_id bigint,
    deal_journal_id bigint,
    fee_journal_id bigint,
    refund_journal_id bigint,
    idempotency_key text,
    request jsonb not null,
    pending_reason text,
    requested_at timestamptz not null default now(),
    dealt_at timestamptz,
    strike_date date,
    closed_at timestamptz,
    constraint flows_kind_is_known_ck check (kind in ('subscription', 'redemption')),
    constraint flows_status_is_known_ck check (status in ('pending', 'dealt', 'canceled', 'refused')),
    constraint flows_subscription_has_amount_and_cash_held_ck check (
        kind <> 'subscription' or amount > 0 and request_journal_id is not null
    ),
    constraint flows_redemption_has_shares_ck check (kind <> 'redemption' or shares > 0),
    constraint flows_dealt_has_price_and_journal_ck check (
        (status = 'dealt') = (nav_per_share is not null and dealt_at is not null and strike_date is not null)
        and (status <> 'dealt' or deal_journal_id is not null and shares > 0 and amount >= 0)
    ),
    constraint flows_closed_when_not_pending_ck check ((status = 'pending') = (closed_at is null)),
    constraint flows_fee_only_on_redemptions_ck check (fee >= 0 and (fee = 0 or kind = 'redemption')),
    constraint flows_idempotency_key_length_ck check (length(idempotency_key) between 1 and 200)
);
comment on table fund.flows is
'Subscriptions and redemptions: requests (pending) that deal at the next NAV strike (forward pricing), then dealt, '
'canceled by the investor or refused at the strike.';
comment on column fund.flows.account_id is 'The investor''s account the subscription is paid from or the redemption paid to.';
comment on column fund.flows.amount is
'Subscription: the cash paid in (held in fund_subscriptions from the request). Redemption: the cash paid out, net of the fee; null until dealt.';
comment on column fund.flows.shares is 'Redemption: the shares redeemed. Subscription: the shares allotted; null until dealt.';
comment on column fund.flows.nav_per_share is 'The NAV per share it dealt at (the strike after the request).';
comment on column fund.flows.fee is 'Redemption: the performance fee crystallized on the redeemed shares and paid to the manager.';
comment on column fund.flows.request_journal_id is 'Subscription: the journal that moved the cash into fund_subscriptions at request time.';
comment on column fund.flows.deal_journal_id is 'The journal of the dealing (into the fund account, or out to the investor).';
comment on column fund.flows.fee_journal_id is 'Redemption: the journal paying the crystallized performance fee to the manager.';
comment on column fund.flows.refund_journal_id is 'Subscription canceled or refused: the journal returning the held cash.';
comment on column fund.flows.request is 'The request''s arguments, compared when its idempotency key is used again.';
comment on column fund.flows.pending_reason is 'Why a pending request did not deal at the last strike (e.g. the fund''s cash does not cover a redemption).';
comment on column fund.flows.strike_date is 'The UTC day of the strike it dealt at.';
comment on column fund.flows.closed_at is 'When it left pending (dealt, canceled or refused).';
create index flows_fund_pending_idx on fund.flows (fund_id, requested_at) where status = 'pending';
create index flows_fund_idx on fund.flows (fund_id);
create index flows_user_idx on fund.flows (user_id);
create index flows_account_idx on fund.flows (account_id);
create unique index flows_idempotency_key_uk on fund.flows (fund_id, user_id, idempotency_key);

alter table fund.flows enable row level security;

create table fund.lots (
    id bigint generated always as identity primary key,
    fund_id uuid not null constraint lots_fund_fk references fund.funds (id),
    user_id uuid not null constraint lots_user_fk references auth.users (id),
    flow_id uuid not null constraint lots_flow_fk references fund.flows (id),
    original_shares app.quantity not null,
    shares app.quantity not null,
    high_water_mark numeric(28, 10) not null,
    accrued_performance_fee app.money not null default 0,
    opened_at timestamptz not null default now(),
    crystallized_at timestamptz,
    constraint lots_flow_uk unique (flow_id),
    constraint lots_shares_within_original_ck check (shares >= 0 and original_shares > 0 and shares <= original_shares),
    constraint lots_high_water_mark_positive_ck check (high_water_mark > 0),
    constraint lots_accrued_fee_not_negative_ck check (accrued_performance_fee >= 0),
    constraint lots_closed_lot_accrues_nothing_ck check (shares > 0 or accrued_performance_fee = 0)
);
comment on table fund.lots is
'Subscription lots: each dealt subscription''s shares and its own high-water mark (its dealing price, then each '
'crystallization''s NAV per share), so a performance fee is charged only on gains made while the lot was held.';
comment on column fund.lots.shares is 'Shares still open (redemptions and fee settlements take them, oldest lot first).';
comment on column fund.lots.high_water_mark is 'NAV per share above which the lot accrues a performance fee.';
comment on column fund.lots.accrued_performance_fee is
'(NAV per share - high-water mark) x shares x fee rate at the last strike when positive, else 0; not yet paid.';
comment on column fund.lots.crystallized_at is 'When its fee last crystallized (yearly or on a redemption).';
create index lots_fund_user_idx on fund.lots (fund_id, user_id, id) where shares > 0;
create index lots_fund_idx on fund.lots (fund_id);
create index lots_user_idx on fund.lots (user_id);

alter table fund.lots enable row level security;

create table fund.fee_accruals (
    id bigint generated always as identity primary key,
    fund_id uuid not null constraint fee_accruals_fund_fk references fund.funds (id),
    kind text not null,
    accrual_date date not null,
    amount app.money not null,
    lot_id bigint constraint fee_accruals_lot_fk references fund.lots (id),
    flow_id uuid constraint fee_accruals_flow_fk references fund.flows (id),
    shares_cancelled app.quantity,
    nav_per_share numeric(28, 10),
    journal_id bigint,
    paid_at timestamptz,
    constraint fee_accruals_kind_is_known_ck check (kind in ('management', 'performance')),
    constraint fee_accruals_amount_positive_ck check (amount > 0),
    constraint fee_accruals_performance_is_paid_from_a_lot_ck check (
        kind <> 'performance' or lot_id is not null and journal_id is not null and shares_cancelled > 0
    ),
    constraint fee_accruals_management_has_no_lot_ck check (kind <> 'management' or lot_id is null and flow_id is null),
    constraint fee_accruals_paid_has_journal_ck check ((journal_id is null) = (paid_at is null))
);
comment on table fund.fee_accruals is
'Fees per fund: the management fee accrued at each strike (paid monthly: journal_id set) and each crystallized '
'performance fee of a lot (paid at once by cancelling the lot''s shares worth it).';
comment on column fund.fee_accruals.accrual_date is 'The strike''s UTC day.';
comment on column fund.fee_accruals.lot_id is 'Performance fee: the lot it was charged to.';
comment on column fund.fee_accruals.flow_id is 'Performance fee crystallized by a redemption: that redemption.';
comment on column fund.fee_accruals.shares_cancelled is 'Performance fee: the lot''s shares cancelled to pay it.';
comment on column fund.fee_accruals.nav_per_share is 'Performance fee: the NAV per share it crystallized at.';
comment on column fund.fee_accruals.journal_id is 'The journal (kind fund_fee) that paid it to the manager; null while accrued.';
create index fee_accruals_fund_idx on fund.fee_accruals (fund_id, accrual_date);
create index fee_accruals_unpaid_idx on fund.fee_accruals (fund_id) where journal_id is null;
create unique index fee_accruals_one_management_per_day_uk on fund.fee_accruals (fund_id, accrual_date)
where kind = 'management';
create index fee_accruals_lot_idx on fund.fee_accruals (lot_id);
create index fee_accruals_flow_idx on fund.fee_accruals (flow_id);

alter table fund.fee_accruals enable row level security;

create table fund.fund_strategies (
    fund_id uuid not null constraint fund_strategies_fund_fk references fund.funds (id),
    name text not null,
    description text,
    allocation_pct numeric(5, 2) not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fund_strategies_pk primary key (fund_id, name),
    constraint fund_strategies_name_not_blank_ck check (btrim(name) <> '' and length(name) <= 100),
    constraint fund_strategies_allocation_in_range_ck check (allocation_pct > 0 and allocation_pct <= 100)
);
comment on table fund.fund_strategies is
'How a fund allocates its capital between strategies (seed 000); a fund''s allocations sum to at most 100 percent, held '
'by fund.fund_strategies_within_100 under the fund row''s lock.';
comment on column fund.fund_strategies.allocation_pct is 'Percent of the fund''s capital, above 0 and at most 100.';

alter table fund.fund_strategies enable row level security;

create table fund.performance_snapshots (
    fund_id uuid not null constraint performance_snapshots_fund_fk references fund.funds (id),
    snapshot_date date not null,
    as_of timestamptz not null,
    struck_at timestamptz not null,
    cash app.money not null,
    positions_value app.money not null,
    accrued_management_fee app.money not null,
    management_fee app.money not null,
    accrued_performance_fee app.money not null,
    nav app.money not null,
    shares_outstanding app.quantity not null,
    nav_per_share numeric(28, 10) not null,
    daily_return double precision,
    cumulative_return double precision,
    volatility double precision,
    sharpe_ratio double precision,
    max_drawdown double precision,
    constraint performance_snapshots_pk primary key (fund_id, snapshot_date),
    constraint performance_snapshots_nav_is_assets_less_fees_ck check (
        nav = cash + positions_value - accrued_management_fee
    ),
    constraint performance_snapshots_nav_per_share_positive_ck check (nav_per_share > 0)
) partition by range (snapshot_date);
comment on table fund.performance_snapshots is
'One row per fund and strike day (the NAV history), partitioned by year on snapshot_date: NAV before the day''s '
'dealing, NAV per share, and the per-share returns (flows do not count as performance).';
comment on column fund.performance_snapshots.as_of is 'The strike time: positions are valued at the last price at or before it.';
comment on column fund.performance_snapshots.struck_at is 'The clock when the strike read the fund account (before dealing).';
comment on column fund.performance_snapshots.cash is 'The fund account''s cash at struck_at (its ledger balance then).';
comment on column fund.performance_snapshots.positions_value is 'The fund account''s positions at the last price at or before as_of, in its currency.';
comment on column fund.performance_snapshots.accrued_management_fee is 'Management fee accrued and unpaid, today''s included.';
comment on column fund.performance_snapshots.management_fee is 'The management fee accrued at this strike.';
comment on column fund.performance_snapshots.accrued_performance_fee is 'Sum of the open lots'' accrued performance fees (investors'' value is net of it; NAV is not).';
comment on column fund.performance_snapshots.nav is 'Cash + positions - accrued management fee, before the day''s dealing.';
comment on column fund.performance_snapshots.shares_outstanding is 'Shares in issue before the day''s dealing.';
comment on column fund.performance_snapshots.nav_per_share is 'NAV / shares outstanding (1 when none): the price the day''s flows deal at.';
comment on column fund.performance_snapshots.daily_return is 'Statistic: NAV per share over the previous strike''s, less 1.';
comment on column fund.performance_snapshots.cumulative_return is 'Statistic: NAV per share over 1 (the inception price), less 1.';
comment on column fund.performance_snapshots.volatility is 'Statistic: annualised volatility of the daily returns so far (analytics.return_metrics, 252 days).';
comment on column fund.performance_snapshots.sharpe_ratio is 'Statistic: Sharpe ratio of the daily returns so far (analytics.return_metrics).';
comment on column fund.performance_snapshots.max_drawdown is 'Statistic: maximum drawdown of NAV per share so far (a negative number).';

alter table fund.performance_snapshots enable row level security;

insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake, retention, retention_mode)
values ('fund.performance_snapshots', 'snapshot_date', 'year', 2, null, 'detach');

-- What the fund api returns: NAV and its parts (api.fund_nav, api.strike_nav).
create type api.fund_nav as (
    fund_id uuid,
    as_of_date date,
    cash numeric,
    positions_value numeric,
    total_assets numeric,
    accrued_management_fee numeric,
    accrued_performance_fee numeric,
    nav numeric,
    shares_outstanding numeric,
    nav_per_share numeric,
    dealt integer,
    pending integer
);
comment on type api.fund_nav is
'A fund''s NAV at its last strike: total assets (cash + positions), fees accrued, NAV, shares and NAV per share, and '
'(from api.strike_nav) the flows the strike dealt and those left pending.';

create type api.fund_position as (
    fund_id uuid,
    symbol text,
    quantity numeric,
    avg_cost numeric,
    market_price numeric,
    market_value numeric
);
comment on type api.fund_position is 'One position of a fund''s account, at the latest price (funds are transparent).';

insert into ops.jobs (name, period, schedule, function_name, description, actor) values
(
    'strike_funds', 'day', '30 0 * * *', 'ops.job_strike_funds',
    'Strike the NAV of every active or paused fund for the UTC day that ended, dealing its pending flows (fund.strike).',
    'fund_manager'
);

-- Subscription cash waits in its own system accounts (fund.subscriptions_account). Last: a statement
-- after a domain change in the same migration fails to open its savepoint.
alter domain trading.system_purpose rename constraint system_purpose_is_known_ck to system_purpose_was_known_ck;
alter domain trading.system_purpose add constraint system_purpose_is_known_ck check (
    value in ('external_cash', 'market_clearing', 'fee_income', 'paper_capital', 'fund_subscriptions')
);
alter domain trading.system_purpose drop constraint system_purpose_was_known_ck;
