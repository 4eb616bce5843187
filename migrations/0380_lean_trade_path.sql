-- The trade path writes an order, a fill, a lot, a position, postings, the account's cash and a
-- notification. PostgreSQL re-reads (stringToNode), plans and compiles every CHECK constraint of a
-- table for each INSERT or UPDATE statement, whatever columns it sets; a domain's constraints are
-- compiled once per connection (type cache) and checked only where a value is assigned to it. So:
-- 1. rules on one column become domains (the same rules, under the same names' meaning);
-- 2. the order's status rules that tie several columns together move into its state-machine
--    trigger (trading.orders_guard_transition), which runs on every order write anyway; the rules
--    DESIGN §5 names (prices tied to types, filled_quantity <= quantity) stay check constraints;
-- 3. fills and lots lose the foreign keys of the account and security columns they copy from their
--    order and fill (the fill -> order and lot -> fill keys stay); ops.invariant_fills_match_orders
--    and ops.invariant_lots_match_fills check the copies;
-- 4. the client_order_id key is a partial unique index: orders without one do not enter it.
-- depends: 0370_corporate_actions
set local role tradebase_owner;

-- The api views over these columns (present when upgrading); tradebase migrate re-creates them.
drop view if exists api.accounts, api.positions, api.orders, api.fills, api.transactions, api.notifications;
-- A trigger with a column list blocks changing those columns' types; migrate re-creates it too.
drop trigger if exists accounts_touch_updated_at on trading.accounts;

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

create domain app.nonnegative_money as app.money
constraint nonnegative_money_not_below_zero_ck check (value >= 0);
comment on domain app.nonnegative_money is 'An amount of cash, zero or more (a balance, a fee, a reservation).';

create domain app.nonzero_money as app.money
constraint nonzero_money_not_zero_ck check (value <> 0);
comment on domain app.nonzero_money is 'A signed amount of cash that is never zero (a posting).';

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

create domain trading.posting_kind as text
constraint posting_kind_is_known_ck check (
    value in (
        'deposit', 'withdrawal', 'transfer', 'initial_balance', 'reset', 'trade', 'fee', 'dividend',
        'cash_in_lieu', 'fx_conversion', 'fund_subscription', 'fund_redemption', 'fund_fee', 'adjustment'
    )
);
comment on domain trading.posting_kind is 'What moved the cash of a posting (deposit, trade, dividend, ...).';

create domain trading.posting_memo as text
constraint posting_memo_length_ck check (length(value) <= 500);
comment on domain trading.posting_memo is 'A posting''s free text: at most 500 characters.';

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

alter table trading.accounts
drop constraint accounts_kind_ck,
drop constraint accounts_status_ck,
drop constraint accounts_name_not_blank_ck,
drop constraint accounts_system_purpose_ck,
drop constraint accounts_cash_not_negative_ck,
drop constraint accounts_reserved_cash_not_negative_ck,
drop constraint accounts_initial_balance_not_negative_ck,
drop constraint accounts_commission_not_negative_ck,
drop constraint accounts_slippage_bps_in_range_ck,
drop constraint accounts_max_volume_participation_in_range_ck,
alter column kind type trading.account_kind,
alter column status type trading.account_status,
alter column name type trading.account_name,
alter column system_purpose type trading.system_purpose,
alter column cash type app.nonnegative_money,
alter column reserved_cash type app.nonnegative_money,
alter column initial_balance type app.nonnegative_money,
alter column commission_per_order type app.nonnegative_money,
alter column commission_rate type trading.commission_rate,
alter column slippage_bps type trading.slippage_bps,
alter column max_volume_participation type trading.volume_participation;

alter table trading.orders
drop constraint orders_client_order_id_length_ck,
drop constraint orders_side_ck,
drop constraint orders_order_type_ck,
drop constraint orders_time_in_force_ck,
drop constraint orders_status_ck,
drop constraint orders_quantity_positive_ck,
drop constraint orders_prices_positive_ck,
drop constraint orders_filled_within_quantity_ck,
drop constraint orders_status_matches_fills_ck,
drop constraint orders_average_price_when_filled_ck,
drop constraint orders_reject_reason_required_ck,
drop constraint orders_reservations_nonnegative_ck,
drop constraint orders_reservations_only_while_open_ck,
drop constraint orders_closed_at_when_terminal_ck,
drop constraint orders_account_client_order_uk,
alter column client_order_id type trading.client_order_id,
alter column side type trading.order_side,
alter column order_type type trading.order_type,
alter column time_in_force type trading.time_in_force,
alter column status type trading.order_status,
alter column quantity type app.positive_quantity,
alter column limit_price type app.positive_price,
alter column stop_price type app.positive_price,
alter column filled_quantity type app.nonnegative_quantity,
alter column fees type app.nonnegative_money,
alter column reserved_cash type app.nonnegative_money,
alter column reserved_quantity type app.nonnegative_quantity,
add constraint orders_filled_within_quantity_ck check (filled_quantity <= quantity);
create unique index orders_account_client_order_uk on trading.orders (account_id, client_order_id)
where client_order_id is not null;

alter table trading.fills
drop constraint fills_account_fk,
drop constraint fills_security_fk,
drop constraint fills_side_ck,
drop constraint fills_quantity_positive_ck,
drop constraint fills_price_positive_ck,
drop constraint fills_fx_rate_positive_ck,
drop constraint fills_notional_nonnegative_ck,
alter column side type trading.order_side,
alter column quantity type app.positive_quantity,
alter column price type app.positive_price,
alter column fx_rate type app.positive_price,
alter column notional type app.nonnegative_money,
alter column commission type app.nonnegative_money;
drop index trading.fills_security_ix;
comment on column trading.fills.account_id is 'The order''s account, copied (ops.invariant_fills_match_orders).';
comment on column trading.fills.security_id is 'The order''s security, copied (ops.invariant_fills_match_orders).';

alter table trading.lots
drop constraint lots_account_fk,
drop constraint lots_security_fk,
drop constraint lots_quantity_nonzero_ck,
alter column quantity type app.nonzero_quantity;
drop index trading.lots_account_ix;
drop index trading.lots_security_ix;
comment on column trading.lots.account_id is 'The opening fill''s account, copied (ops.invariant_lots_match_fills).';
comment on column trading.lots.security_id is 'The opening fill''s security, copied (ops.invariant_lots_match_fills).';

alter table trading.positions
drop constraint positions_reserved_within_quantity_ck,
alter column reserved_quantity type app.nonnegative_quantity,
add constraint positions_reserved_within_quantity_ck check (reserved_quantity <= abs(quantity));

alter table trading.transactions
drop constraint transactions_amount_not_zero_ck,
drop constraint transactions_balance_after_not_negative_ck,
drop constraint transactions_kind_ck,
drop constraint transactions_memo_length_ck,
alter column amount type app.nonzero_money,
alter column balance_after type app.nonnegative_money,
alter column kind type trading.posting_kind,
alter column memo type trading.posting_memo;

alter table notify.notifications
drop constraint notifications_kind_ck,
drop constraint notifications_level_ck,
drop constraint notifications_data_is_object_ck,
alter column kind type notify.notification_kind,
alter column level type notify.notification_level,
alter column data type notify.notification_data;
