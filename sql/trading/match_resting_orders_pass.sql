-- One pass of trading.match_resting_orders over its orders, oldest first: plainly (p_isolate false: an
-- error fails the pass), or each order in its own subtransaction (p_isolate true: an order whose data
-- raises a data exception or check violation is set aside and the pass goes on). Each order is read
-- afresh with its account and position (earlier orders of the same tick may have changed them). The
-- caller holds the account locks.
-- depends: trading/match_order.sql trading/set_aside.sql
drop function if exists trading.match_resting_order(
    uuid, market.securities, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz
);
-- No set search_path: it runs on every tick and bar, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not security
-- definer.
create or replace function trading.match_resting_orders_pass(
    p_order_ids uuid[],
    p_security market.securities,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_last numeric,
    p_bid numeric,
    p_ask numeric,
    p_volume numeric,
    p_at timestamptz,
    p_isolate boolean
)
returns integer
language plpgsql
volatile
as $$
declare
    v_order_id uuid;
    v_order trading.orders;
    v_account trading.accounts;
    v_position trading.positions;
    v_filled integer := 0;
    v_state text;
    v_message text;
begin
    if not p_isolate then
        -- The common case, without a subtransaction per order: the same steps as the loop below.
        foreach v_order_id in array p_order_ids loop
            select * into strict v_order from trading.orders as o where o.id = v_order_id;
            select * into strict v_account from trading.accounts as a where a.id = v_order.account_id;
            select * into v_position from trading.positions as p
            where p.account_id = v_order.account_id and p.security_id = p_security.id;
            if (trading.match_order(
                v_order, false, v_account, p_security, v_position, p_open, p_high, p_low, p_last, p_bid, p_ask,
                p_volume, p_at
            )).filled_quantity > v_order.filled_quantity then
                v_filled := v_filled + 1;
            end if;
        end loop;
        return v_filled;
    end if;

    foreach v_order_id in array p_order_ids loop
        begin
            select * into strict v_order from trading.orders as o where o.id = v_order_id;
            select * into strict v_account from trading.accounts as a where a.id = v_order.account_id;
            select * into v_position from trading.positions as p
            where p.account_id = v_order.account_id and p.security_id = p_security.id;
            if (trading.match_order(
                v_order, false, v_account, p_security, v_position, p_open, p_high, p_low, p_last, p_bid, p_ask,
                p_volume, p_at
            )).filled_quantity > v_order.filled_quantity then
                v_filled := v_filled + 1;
            end if;
        exception when data_exception or check_violation then
            get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
            perform trading.set_aside(
                pg_catalog.format('matching %s at %s', p_security.symbol, p_last), null, v_order_id, v_state, v_message
            );
        end;
    end loop;
    return v_filled;
end
$$;

comment on function trading.match_resting_orders_pass(
    uuid[], market.securities, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz, boolean
) is
'Matches the open orders p_order_ids (oldest first, each read afresh with its account and position) against one '
'tick or bar; with p_isolate each in its own subtransaction, setting aside '
'(trading.set_aside) one whose data raises a data exception or check violation. Returns how many filled. The '
'caller holds the account locks.';
