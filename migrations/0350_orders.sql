-- Orders, their state machine, fills, positions, lots and lot closures (DESIGN §5 "Orders and fills").
-- Cash moves only through trading.post_journal (and, for a fill's settlement, trading.apply_fill);
-- these tables hold what was ordered, what filled and what is held. Reservations: trading.accounts.reserved_cash (ledger's column) and
-- positions.reserved_quantity equal what open orders hold (ops.invariant_reservations_match_open_orders).
-- The trade path writes an order, a fill, a lot, a position, postings, the account's cash and a
-- notification. PostgreSQL re-reads (stringToNode), plans and compiles every CHECK constraint of a
-- table for each INSERT or UPDATE statement, whatever columns it sets; a domain's constraints are
-- compiled once per connection (type cache) and checked only where a value is assigned to it. So:
-- 1. rules on one column are domains (here and in 0300, 0310, 0360);
-- 2. the order's status rules that tie several columns together live in its state-machine trigger
--    (trading.orders_guard_transition), which runs on every order write anyway; the rules DESIGN §5
--    names (prices tied to types, filled_quantity <= quantity) are check constraints;
-- 3. fills and lots have no foreign keys on the account and security columns they copy from their
--    order and fill (the fill -> order and lot -> fill keys stay); ops.invariant_fills_match_orders
--    and ops.invariant_lots_match_fills check the copies;
-- 4. orders have no foreign key to market.securities: the key's check took a key-share lock on the
--    security's row for every order, so concurrent orders in one symbol each made a MultiXact and
--    serialised on that one row, and every order of a symbol went into one leaf of its index. The
--    order engine takes the id from the security it has just read;
--    ops.invariant_orders_reference_securities checks it, and trading.orders_resting_ix serves the
--    matching by security;
-- 5. the client_order_id key is a partial unique index: orders without one do not enter it;
-- 6. the lot and position checks compare with a numeric 0.0, not an integer 0: an integer 0 compared
--    with a numeric column is stored as a cast call, re-read and folded on every write, a numeric 0.0
--    as a constant; the lot's sign rule is a product. These checks run on every fill.
-- depends: 0200_market 0310_trading_ledger
set local role tradebase_owner;

create domain app.positive_quantity as app.quantity
constraint positive_quantity_above_zero_ck check (value > 0);
comment on domain app.positive_quantity is 'A number of units above zero (an order, a fill).';

create domain app.nonnegative_quantity as app.quantity
constraint nonnegative_quantity_not_below_zero_ck check (value >= 0);
comment on domain app.nonnegative_quantity is 'A number of units, zero or more (filled, reserved).';

create domain app.nonzero_quantity as app.quantity
constraint nonzero_quantity_not_zero_ck check (value <> 0);
comment on domain app.nonzero_quantity is 'A signed number of units that is never zero (a lot: long or short).';

create domain app.positive_price as app.price
constraint positive_price_above_zero_ck check (value > 0);
comment on domain app.positive_price is 'A price above zero.';

create domain trading.order_side as text
constraint order_side_is_known_ck check (value in ('buy', 'sell'));
comment on domain trading.order_side is 'buy | sell.';

create domain trading.order_type as text
constraint order_type_is_known_ck check (value in ('market', 'limit', 'stop', 'stop_limit'));
comment on domain trading.order_type is 'market | limit | stop | stop_limit.';

create domain trading.time_in_force as text
constraint time_in_force_is_known_ck check (value in ('day', 'gtc', 'ioc', 'fok'));
comment on domain trading.time_in_force is 'day | gtc | ioc | fok.';

create domain trading.order_status as text
constraint order_status_is_known_ck check (
    value in ('new', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired')
);
comment on domain trading.order_status is 'new | partially_filled | filled | canceled | rejected | expired.';

create domain trading.client_order_id as text
constraint client_order_id_length_ck check (length(value) between 1 and 64);
comment on domain trading.client_order_id is 'A caller''s idempotency key for an order: 1 to 64 characters.';

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB060', 'order_idempotency_conflict',
    'A client_order_id was reused on the same account with different order arguments.',
    'Use a new client_order_id for a different order, or repeat the original arguments exactly.'
),
(
    'TB061', 'order_not_open',
    'The order is no longer open (filled, canceled, rejected or expired) and cannot be changed.',
    'Only orders with status new or partially_filled can be canceled.'
),
(
    'TB062', 'illegal_order_transition',
    'An order status change that the order state machine does not allow.',
    null
);

create table trading.order_transitions (
    from_status text not null,
    to_status text not null,
    constraint order_transitions_pk primary key (from_status, to_status),
    constraint order_transitions_statuses_ck check (
        from_status in ('new', 'partially_filled')
        and to_status in ('partially_filled', 'filled', 'canceled', 'rejected', 'expired')
    )
);
comment on table trading.order_transitions is
'The legal order status changes; trading.orders_guard_transition refuses every other change. '
'Terminal statuses (filled, canceled, rejected, expired) have no way out.';

insert into trading.order_transitions (from_status, to_status) values
('new', 'partially_filled'),
('new', 'filled'),
('new', 'canceled'),
('new', 'expired'),
('partially_filled', 'partially_filled'),
('partially_filled', 'filled'),
('partially_filled', 'canceled'),
('partially_filled', 'expired');

alter table trading.order_transitions enable row level security;

create table trading.orders (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null,
    security_id uuid not null,
    client_order_id trading.client_order_id,
    side trading.order_side not null,
    order_type trading.order_type not null default 'market',
    time_in_force trading.time_in_force not null default 'day',
    status trading.order_status not null default 'new',
    quantity app.positive_quantity not null,
    limit_price app.positive_price,
    stop_price app.positive_price,
    stop_triggered boolean not null default false,
    filled_quantity app.nonnegative_quantity not null default 0,
    average_fill_price app.price,
    fees app.nonnegative_money not null default 0,
    reserved_cash app.nonnegative_money not null default 0,
    reserved_quantity app.nonnegative_quantity not null default 0,
    reject_reason text,
    cancel_reason text,
    strategy_id uuid,
    bot_id uuid,
    expires_at timestamptz,
    last_matched_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    closed_at timestamptz,
    constraint orders_account_fk foreign key (account_id) references trading.accounts (id),
    constraint orders_limit_price_required_ck check ((order_type in ('limit', 'stop_limit')) = (limit_price is not null)),
    constraint orders_stop_price_required_ck check ((order_type in ('stop', 'stop_limit')) = (stop_price is not null)),
    constraint orders_filled_within_quantity_ck check (filled_quantity <= quantity)
);
comment on table trading.orders is
'Every order placed, including business rejections (status rejected with a reject_reason). '
'Status changes follow trading.order_transitions.';
comment on column trading.orders.security_id is
'The security ordered. No foreign key (a key-share lock per order on one hot row): the order engine takes it '
'from the security it reads, and ops.invariant_orders_reference_securities checks it.';
comment on column trading.orders.client_order_id is
'The caller''s idempotency key, unique per account: a retry with the same arguments returns the first order.';
comment on column trading.orders.stop_triggered is 'The stop was reached: a stop now fills like a market order, a stop_limit rests as a limit order.';
comment on column trading.orders.average_fill_price is 'Quantity-weighted mean fill price, in the security''s currency.';
comment on column trading.orders.fees is 'Commissions charged so far, in the account''s currency.';
comment on column trading.orders.reserved_cash is
'Cash this open order holds back from buying power (account currency): price x remaining quantity + fees.';
comment on column trading.orders.reserved_quantity is
'Units of the position this open closing order holds back, so two orders cannot sell the same units.';
comment on column trading.orders.reject_reason is 'Why the order was rejected (business rule, risk rule); null otherwise.';
comment on column trading.orders.cancel_reason is 'Why an order was canceled or expired by the system (ioc, fok, buying power).';
comment on column trading.orders.strategy_id is 'The strategy that generated the order (strategy.strategies), if any.';
comment on column trading.orders.bot_id is 'The bot that placed the order (strategy.bots), if any.';
comment on column trading.orders.expires_at is 'End of the UTC day of placement for day orders; null for gtc.';
comment on column trading.orders.last_matched_at is
'Time of the last price or bar this order was matched against; only later prices and bars can fill it.';
comment on column trading.orders.closed_at is 'When the order reached a terminal status.';

create unique index orders_account_client_order_uk on trading.orders (account_id, client_order_id)
where client_order_id is not null;
create index orders_account_created_ix on trading.orders (account_id, created_at);
create index orders_resting_ix on trading.orders (security_id, created_at)
where status in ('new', 'partially_filled');
create index orders_expiring_ix on trading.orders (expires_at)
where status in ('new', 'partially_filled');
alter table trading.orders enable row level security;

create table trading.fills (
    id bigint generated always as identity primary key,
    order_id uuid not null,
    account_id uuid not null,
    security_id uuid not null,
    side trading.order_side not null,
    quantity app.positive_quantity not null,
    price app.positive_price not null,
    fx_rate app.positive_price not null default 1,
    notional app.nonnegative_money not null,
    commission app.nonnegative_money not null default 0,
    journal_id bigint,
    filled_at timestamptz not null default now(),
    constraint fills_order_fk foreign key (order_id) references trading.orders (id)
);
comment on table trading.fills is 'Executions of orders; each settles through one ledger journal (journal_id).';
comment on column trading.fills.account_id is 'The order''s account, copied (ops.invariant_fills_match_orders).';
comment on column trading.fills.security_id is 'The order''s security, copied (ops.invariant_fills_match_orders).';
comment on column trading.fills.price is 'Execution price per unit in the security''s currency, slippage included.';
comment on column trading.fills.fx_rate is 'Units of account currency per unit of security currency used to settle (1 when equal; app.price because rates like USD/IDR exceed app.rate).';
comment on column trading.fills.notional is 'quantity x price x fx_rate in the account''s currency, before commission.';
comment on column trading.fills.commission is
'Commission of this fill in account currency: the per-order fee on the first fill plus rate x notional.';
comment on column trading.fills.journal_id is
'The trading.transactions journal that settled this fill; null only when every amount rounded to zero.';

create index fills_order_ix on trading.fills (order_id);
create index fills_account_security_ix on trading.fills (account_id, security_id);
alter table trading.fills enable row level security;

create table trading.positions (
    id bigint generated always as identity primary key,
    account_id uuid not null,
    security_id uuid not null,
    quantity app.quantity not null default 0,
    cost_basis app.money not null default 0,
    realized_pnl app.money not null default 0,
    reserved_quantity app.nonnegative_quantity not null default 0,
    opened_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint positions_account_fk foreign key (account_id) references trading.accounts (id),
    constraint positions_security_fk foreign key (security_id) references market.securities (id),
    constraint positions_account_security_uk unique (account_id, security_id),
    constraint positions_reserved_within_quantity_ck check (reserved_quantity <= abs(quantity)),
    constraint positions_flat_has_no_cost_ck check (quantity <> 0.0 or cost_basis = 0.0)
);
comment on table trading.positions is
'What an account holds per security: the sum of its open lots. The row stays when flat to keep realized P&L.';
comment on column trading.positions.quantity is 'Signed units held: positive long, negative short.';
comment on column trading.positions.cost_basis is
'Signed cost of the open quantity in account currency, fees included: what buying it cost (long), '
'minus what selling it short brought in (short). Equals the sum of the open lots'' cost_basis.';
comment on column trading.positions.realized_pnl is 'Sum of realized P&L of every lot closure of this position.';
comment on column trading.positions.reserved_quantity is 'Units held back by open orders that close this position.';

create index positions_security_ix on trading.positions (security_id);
alter table trading.positions enable row level security;

create table trading.lots (
    id bigint generated always as identity primary key,
    account_id uuid not null,
    security_id uuid not null,
    fill_id bigint not null,
    quantity app.nonzero_quantity not null,
    open_quantity app.quantity not null,
    cost_basis app.money not null,
    opened_at timestamptz not null default now(),
    closed_at timestamptz,
    constraint lots_fill_fk foreign key (fill_id) references trading.fills (id),
    -- Same sign as the lot (a product of two numbers is negative only when their signs differ), or empty.
    constraint lots_open_within_quantity_ck check (
        open_quantity * quantity >= 0.0 and abs(open_quantity) <= abs(quantity)
    ),
    constraint lots_closed_when_empty_ck check ((open_quantity = 0.0) = (closed_at is not null)),
    constraint lots_empty_has_no_cost_ck check (open_quantity <> 0.0 or cost_basis = 0.0)
);
comment on table trading.lots is
'Tax lots: each opening fill opens one; closing fills consume them oldest first (FIFO, or at average cost).';
comment on column trading.lots.account_id is 'The opening fill''s account, copied (ops.invariant_lots_match_fills).';
comment on column trading.lots.security_id is 'The opening fill''s security, copied (ops.invariant_lots_match_fills).';
comment on column trading.lots.quantity is 'Signed units the lot opened with (negative for a short lot).';
comment on column trading.lots.open_quantity is 'Signed units still open.';
comment on column trading.lots.cost_basis is
'Signed cost of the open units in account currency (buy fees included; a short lot holds minus its net proceeds).';

create index lots_open_fifo_ix on trading.lots (account_id, security_id, id) where open_quantity <> 0;
create index lots_fill_ix on trading.lots (fill_id);
alter table trading.lots enable row level security;

create table trading.lot_closures (
    id bigint generated always as identity primary key,
    lot_id bigint not null,
    fill_id bigint not null,
    account_id uuid not null,
    security_id uuid not null,
    quantity app.quantity not null,
    cost_basis app.money not null,
    proceeds app.money not null,
    realized_pnl app.money not null,
    closed_at timestamptz not null default now(),
    constraint lot_closures_lot_fk foreign key (lot_id) references trading.lots (id),
    constraint lot_closures_fill_fk foreign key (fill_id) references trading.fills (id),
    constraint lot_closures_account_fk foreign key (account_id) references trading.accounts (id),
    constraint lot_closures_security_fk foreign key (security_id) references market.securities (id),
    constraint lot_closures_quantity_positive_ck check (quantity > 0),
    constraint lot_closures_pnl_is_proceeds_minus_cost_ck check (realized_pnl = proceeds - cost_basis)
);
comment on table trading.lot_closures is 'One row per (lot, closing fill): the units closed and the P&L they realized.';
comment on column trading.lot_closures.quantity is 'Units of the lot closed (unsigned).';
comment on column trading.lot_closures.cost_basis is 'Signed share of the lot''s cost basis that was closed.';
comment on column trading.lot_closures.proceeds is
'Signed share of the closing fill''s cash flow (sale proceeds net of fees; minus the cost to cover a short).';

create index lot_closures_lot_ix on trading.lot_closures (lot_id);
create index lot_closures_fill_ix on trading.lot_closures (fill_id);
create index lot_closures_account_closed_ix on trading.lot_closures (account_id, closed_at);
create index lot_closures_security_ix on trading.lot_closures (security_id);
alter table trading.lot_closures enable row level security;
