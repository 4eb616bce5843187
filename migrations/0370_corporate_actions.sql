-- Splits and dividends (DESIGN §5 "Lots"): each applied corporate action, and what it did to each
-- position (position_adjustments), so positions still equal their fills plus their adjustments.
-- depends: 0350_orders
set local role tradebase_owner;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB064', 'corporate_action_applied',
    'This split or dividend of the security was already applied for that date.',
    'Each (security, kind, date) is applied once; check trading.corporate_actions.'
);

create table trading.corporate_actions (
    id uuid primary key default gen_random_uuid(),
    security_id uuid not null,
    kind text not null,
    numerator integer,
    denominator integer,
    per_share app.money,
    effective_date date not null,
    pay_date date,
    applied_at timestamptz not null default now(),
    constraint corporate_actions_security_fk foreign key (security_id) references market.securities (id),
    constraint corporate_actions_once_uk unique (security_id, kind, effective_date),
    constraint corporate_actions_kind_ck check (kind in ('split', 'dividend')),
    constraint corporate_actions_split_ratio_ck check (
        (kind = 'split') = (numerator is not null and denominator is not null)
        and numerator > 0 and denominator > 0 and numerator <> denominator
    ),
    constraint corporate_actions_dividend_amount_ck check (
        (kind = 'dividend') = (per_share is not null) and per_share > 0 and pay_date >= effective_date
    )
);
comment on table trading.corporate_actions is
'Splits (numerator-for-denominator, effective_date) and cash dividends (per_share, ex-date in effective_date, '
'pay_date) applied to every account holding the security.';
alter table trading.corporate_actions enable row level security;

create table trading.position_adjustments (
    id bigint generated always as identity primary key,
    corporate_action_id uuid,
    account_id uuid not null,
    security_id uuid not null,
    kind text not null,
    quantity app.quantity not null default 0,
    cash app.money not null default 0,
    journal_id bigint,
    created_at timestamptz not null default now(),
    constraint position_adjustments_action_fk foreign key (corporate_action_id) references trading.corporate_actions (id),
    constraint position_adjustments_account_fk foreign key (account_id) references trading.accounts (id),
    constraint position_adjustments_security_fk foreign key (security_id) references market.securities (id),
    constraint position_adjustments_kind_ck check (kind in ('split', 'cash_in_lieu', 'dividend', 'reset')),
    constraint position_adjustments_action_unless_reset_ck check ((kind = 'reset') = (corporate_action_id is null)),
    constraint position_adjustments_journal_when_cash_ck check ((cash <> 0) = (journal_id is not null))
);
comment on table trading.position_adjustments is
'What a corporate action did to one position: units added by a split, units paid out as cash in lieu, or a '
'dividend paid or charged (shorts pay it); or a paper account reset that closed the position''s books.';
comment on column trading.position_adjustments.quantity is 'Signed change of the position''s units.';
comment on column trading.position_adjustments.cash is 'Signed cash to the account (account currency).';
create index position_adjustments_action_ix on trading.position_adjustments (corporate_action_id);
create index position_adjustments_account_security_ix on trading.position_adjustments (account_id, security_id);
create index position_adjustments_security_ix on trading.position_adjustments (security_id);
alter table trading.position_adjustments enable row level security;

-- Cash in lieu closes part of a lot without a fill.
alter table trading.lot_closures alter column fill_id drop not null;
alter table trading.lot_closures add column adjustment_id bigint;
alter table trading.lot_closures add constraint lot_closures_adjustment_fk
foreign key (adjustment_id) references trading.position_adjustments (id);
alter table trading.lot_closures add constraint lot_closures_fill_or_adjustment_ck
check ((fill_id is null) <> (adjustment_id is null));
create index lot_closures_adjustment_ix on trading.lot_closures (adjustment_id);
comment on column trading.lot_closures.adjustment_id is 'The cash-in-lieu or reset adjustment that closed these units (no fill).';
