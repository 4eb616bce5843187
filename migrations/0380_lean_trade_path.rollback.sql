-- Undo 0380: the check constraints, foreign keys and indexes come back, the columns return to their
-- base types and the domains go. The api views over these columns are dropped first; migrate
-- re-creates them.
set local role tradebase_owner;

-- cascade: api functions return these views' row types (issue 14 §5); tradebase migrate re-creates both.
drop view if exists api.accounts, api.positions, api.orders, api.fills, api.transactions, api.notifications cascade;
-- A trigger with a column list blocks changing those columns' types; migrate re-creates it too.
drop trigger if exists accounts_touch_updated_at on trading.accounts;

alter table notify.notifications
alter column kind type text,
alter column level type text,
alter column data type jsonb,
add constraint notifications_kind_ck check (
    kind in (
        'order_filled', 'order_partially_filled', 'order_rejected', 'order_canceled', 'risk_alert',
        'goal_milestone', 'auto_invest_run', 'system'
    )
),
add constraint notifications_level_ck check (level in ('info', 'warning', 'error', 'critical')),
add constraint notifications_data_is_object_ck check (jsonb_typeof(data) = 'object');

alter table trading.transactions
alter column amount type app.money,
alter column balance_after type app.money,
alter column kind type text,
alter column memo type text,
add constraint transactions_amount_not_zero_ck check (amount <> 0),
add constraint transactions_balance_after_not_negative_ck check (balance_after >= 0),
add constraint transactions_kind_ck check (
    kind in (
        'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'trade', 'fee', 'dividend',
        'cash_in_lieu', 'fx_conversion', 'fund_subscription', 'fund_redemption', 'fund_fee', 'adjustment'
    )
),
add constraint transactions_memo_length_ck check (length(memo) <= 500);

alter table trading.positions
drop constraint positions_reserved_within_quantity_ck,
alter column reserved_quantity type app.quantity,
add constraint positions_reserved_within_quantity_ck check (
    reserved_quantity >= 0 and reserved_quantity <= abs(quantity)
);

comment on column trading.lots.account_id is null;
comment on column trading.lots.security_id is null;
alter table trading.lots
alter column quantity type app.quantity,
add constraint lots_account_fk foreign key (account_id) references trading.accounts (id),
add constraint lots_security_fk foreign key (security_id) references market.securities (id),
add constraint lots_quantity_nonzero_ck check (quantity <> 0);
create index lots_account_ix on trading.lots (account_id);
create index lots_security_ix on trading.lots (security_id);

comment on column trading.fills.account_id is null;
comment on column trading.fills.security_id is null;
alter table trading.fills
alter column side type text,
alter column quantity type app.quantity,
alter column price type app.price,
alter column fx_rate type app.price,
alter column notional type app.money,
alter column commission type app.money,
add constraint fills_account_fk foreign key (account_id) references trading.accounts (id),
add constraint fills_security_fk foreign key (security_id) references market.securities (id),
add constraint fills_side_ck check (side in ('buy', 'sell')),
add constraint fills_quantity_positive_ck check (quantity > 0),
add constraint fills_price_positive_ck check (price > 0),
add constraint fills_fx_rate_positive_ck check (fx_rate > 0),
add constraint fills_notional_nonnegative_ck check (notional >= 0 and commission >= 0);
create index fills_security_ix on trading.fills (security_id);

drop index trading.orders_account_client_order_uk;
alter table trading.orders
drop constraint orders_filled_within_quantity_ck,
alter column client_order_id type text,
alter column side type text,
alter column order_type type text,
alter column time_in_force type text,
alter column status type text,
alter column quantity type app.quantity,
alter column limit_price type app.price,
alter column stop_price type app.price,
alter column filled_quantity type app.quantity,
alter column fees type app.money,
alter column reserved_cash type app.money,
alter column reserved_quantity type app.quantity,
add constraint orders_account_client_order_uk unique (account_id, client_order_id),
add constraint orders_client_order_id_length_ck check (length(client_order_id) between 1 and 64),
add constraint orders_side_ck check (side in ('buy', 'sell')),
add constraint orders_order_type_ck check (order_type in ('market', 'limit', 'stop', 'stop_limit')),
add constraint orders_time_in_force_ck check (time_in_force in ('day', 'gtc', 'ioc', 'fok')),
add constraint orders_status_ck check (
    status in ('new', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired')
),
add constraint orders_quantity_positive_ck check (quantity > 0),
add constraint orders_prices_positive_ck check (limit_price > 0 and stop_price > 0),
add constraint orders_filled_within_quantity_ck check (filled_quantity >= 0 and filled_quantity <= quantity),
add constraint orders_status_matches_fills_ck check (
    case status
        when 'new' then filled_quantity = 0
        when 'partially_filled' then filled_quantity > 0 and filled_quantity < quantity
        when 'filled' then filled_quantity = quantity
        when 'rejected' then filled_quantity = 0
        else true
    end
),
add constraint orders_average_price_when_filled_ck check ((filled_quantity > 0) = (average_fill_price is not null)),
add constraint orders_reject_reason_required_ck check ((status = 'rejected') = (reject_reason is not null)),
add constraint orders_reservations_nonnegative_ck check (
    reserved_cash >= 0 and reserved_quantity >= 0 and fees >= 0
),
add constraint orders_reservations_only_while_open_ck check (
    status in ('new', 'partially_filled') or (reserved_cash = 0 and reserved_quantity = 0)
),
add constraint orders_closed_at_when_terminal_ck check ((status in ('new', 'partially_filled')) = (closed_at is null));

alter table trading.accounts
alter column kind type text,
alter column status type text,
alter column name type text,
alter column system_purpose type text,
alter column cash type app.money,
alter column reserved_cash type app.money,
alter column initial_balance type app.money,
alter column commission_per_order type app.money,
alter column commission_rate type app.rate,
alter column slippage_bps type numeric(8, 2),
alter column max_volume_participation type app.rate,
add constraint accounts_kind_ck check (kind in ('paper', 'live', 'fund', 'system')),
add constraint accounts_status_ck check (status in ('active', 'paused', 'archived', 'suspended')),
add constraint accounts_name_not_blank_ck check (btrim(name) <> '' and length(name) <= 100),
add constraint accounts_system_purpose_ck check (
    system_purpose in ('external_cash', 'market_clearing', 'fee_income', 'paper_capital')
),
add constraint accounts_cash_not_negative_ck check (cash >= 0),
add constraint accounts_reserved_cash_not_negative_ck check (reserved_cash >= 0),
add constraint accounts_initial_balance_not_negative_ck check (initial_balance >= 0),
add constraint accounts_commission_not_negative_ck check (
    commission_per_order >= 0 and commission_rate >= 0 and commission_rate <= 1
),
add constraint accounts_slippage_bps_in_range_ck check (slippage_bps >= 0 and slippage_bps <= 10000),
add constraint accounts_max_volume_participation_in_range_ck check (
    max_volume_participation > 0 and max_volume_participation <= 1
);

drop domain notify.notification_data;
drop domain notify.notification_level;
drop domain notify.notification_kind;
drop domain trading.posting_memo;
drop domain trading.posting_kind;
drop domain trading.client_order_id;
drop domain trading.order_status;
drop domain trading.time_in_force;
drop domain trading.order_type;
drop domain trading.order_side;
drop domain trading.slippage_bps;
drop domain trading.volume_participation;
drop domain trading.commission_rate;
drop domain trading.system_purpose;
drop domain trading.account_name;
drop domain trading.account_status;
drop domain trading.account_kind;
drop domain app.nonzero_money;
drop domain app.nonnegative_money;
drop domain app.positive_price;
drop domain app.nonzero_quantity;
drop domain app.nonnegative_quantity;
drop domain app.positive_quantity;
