-- The manager trades the fund's account (issue 17) through the one placement path, as the system actor
-- fund_manager with source fund and the fund as the cause: the user's token authorises the manager for
-- this fund here; then, for the placement only, the transaction assumes the fund_manager system context
-- (app.enter_system_actor, as ops.run_job does for jobs), so the order records placed_by fund_manager and
-- the audit log an order_placed event under that name; the manager's own context is put back before
-- returning (an error aborts the call, and with it the context change; the manager's context stays valid
-- after a savepoint rolled back). The fund row is share-locked and its status checked on it, then the
-- fund account's row is locked before the placement, as trading.place_order expects (the security's
-- advisory lock first, shared, as api.execute_paper_trade takes it; then fund, then account: the order of
-- fund.strike and api.set_fund_status): a close that commits meanwhile is seen
-- (22023), so a closed fund's account never gets an order.
-- depends: trading/place_order.sql api/orders.sql fund/managed_fund.sql app/leave_system_actor.sql
-- depends: market/security_lock_key.sql
create or replace function api.fund_trade(
    p_fund_id uuid,
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
    v_user uuid;
    v_fund fund.funds;
    v_account trading.accounts;
    v_caller text;
    v_order trading.orders;
begin
    perform auth.require_scope('trade');
    v_user := auth.require_user();
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of your fund.');
    end if;
    perform fund.managed_fund(p_fund_id, false, 'trades its account');
    -- The security's lock, shared, before any row lock (market.security_lock_key), as
    -- api.execute_paper_trade takes it: a split of the symbol waits for this order, or it for the split.
    perform pg_catalog.pg_advisory_xact_lock_shared(market.security_lock_key(p_symbol));
    -- managed_fund read the row unlocked: read it again, share-locked, so a close committed meanwhile is seen.
    select * into v_fund from fund.funds as f where f.id = p_fund_id for share;
    if v_fund.status = 'closed' then
        perform app.raise_error('22023', pg_catalog.format('fund %s is closed', p_fund_id), 'Closed funds do not trade.');
    end if;
    select * into v_account from trading.accounts as a where a.id = v_fund.account_id for update;
    perform audit.log_event('fund_trade', v_user, pg_catalog.jsonb_build_object(
        'fund_id', p_fund_id, 'symbol', p_symbol, 'side', p_side, 'quantity', p_quantity
    ));

    v_caller := app.enter_system_actor('fund_manager');
    v_order := trading.place_order(
        v_account, p_symbol, p_side, p_quantity, p_order_type, p_limit_price, p_stop_price, p_time_in_force,
        p_client_order_id, 'fund', p_fund_id
    );
    perform app.leave_system_actor(v_caller);

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

comment on function api.fund_trade(uuid, text, text, numeric, text, numeric, numeric, text, text) is
'The fund''s manager places an order on the fund''s account through trading.place_order as the system actor '
'fund_manager (source fund, cause the fund); returns the order. 42501 another manager''s fund, P0002 unknown fund or '
'symbol, 22023 malformed arguments or a closed fund, TB060 a reused client_order_id; business rejections return the '
'order rejected.';
