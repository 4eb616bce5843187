-- A person places an order (§5): authenticate (the trade scope), take the security's advisory lock
-- shared (market.security_lock_key, before any row lock: docs/trading.md, "Splits and concurrent
-- orders"), authorise and lock the account (trading.authorized_account), then the one placement path,
-- trading.place_order, as the owner or support staff (act_as), source manual.
-- depends: trading/place_order.sql trading/authorized_account.sql api/orders.sql market/security_lock_key.sql
-- It returned a table's row type before (issue 14 §5); create or replace cannot change that, so the old
-- one is dropped, once (grants.sql grants it again).
do $$
begin
    if exists (
        select from pg_catalog.pg_proc as p
        where
            p.oid = pg_catalog.to_regprocedure('api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text)')
            and p.prorettype <> 'api.orders'::pg_catalog.regtype
    ) then
        drop function api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text);
    end if;
end
$$;
create or replace function api.execute_paper_trade(
    p_account_id uuid,
    p_symbol text,
    p_side text,
    p_quantity numeric,
    p_order_type text default 'market',
    p_limit_price numeric default null,
    p_stop_price numeric default null,
    p_time_in_force text default 'day',
    p_client_order_id text default null
)
returns api.orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_order trading.orders;
begin
    -- The security's lock, shared, before any row lock: a split of the symbol waits for this order, or
    -- this order for the split and then reads the split-adjusted quote. It shares the scope check's
    -- statement, after the check: a statement of its own costs the order path about 900 instructions more.
    perform auth.require_scope('trade'), pg_catalog.pg_advisory_xact_lock_shared(market.security_lock_key(p_symbol));
    v_order := trading.place_order(
        trading.authorized_account(p_account_id, true), p_symbol, p_side, p_quantity, p_order_type, p_limit_price,
        p_stop_price, p_time_in_force, p_client_order_id
    );
    -- Returned as a row of api.orders (its columns by position), never the table's storage type (DESIGN §4).
    return row(
        v_order.id, v_order.account_id, v_order.client_order_id, pg_catalog.upper(p_symbol), v_order.side,
        v_order.order_type, v_order.time_in_force, v_order.status, v_order.quantity, v_order.limit_price,
        v_order.stop_price, v_order.stop_triggered, v_order.filled_quantity,
        v_order.quantity - v_order.filled_quantity, v_order.average_fill_price, v_order.fees,
        v_order.reserved_cash, v_order.reserved_quantity, v_order.reject_reason, v_order.cancel_reason,
        v_order.strategy_id, v_order.bot_id, v_order.expires_at, v_order.created_at, v_order.updated_at,
        v_order.closed_at, v_order.placed_by, v_order.source, v_order.cause_id
    )::api.orders;
end
$$;

comment on function api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text) is
'Places an order on an account of the acting user (or, for an administrator, any user account) and fills what the latest quote makes marketable (§5 fill model). '
'Malformed arguments raise 22023 (a quantity above app.max_quantity() or a price above app.max_price() too); '
'another user''s account 42501; unknown account or symbol P0002; a reused '
'client_order_id with other arguments TB060 (with the same arguments it returns the first order). Business and '
'risk-rule failures return the order with status rejected and a reject_reason. Resting orders fill later through '
'api.record_price or api.match_resting_orders.';
