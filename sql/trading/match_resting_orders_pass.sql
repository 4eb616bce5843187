-- One pass of trading.match_resting_orders over its orders: plainly (p_isolate false: an error fails
-- the pass), or each order in its own subtransaction (p_isolate true: an order whose data raises a
-- data exception or check violation is set aside and the pass goes on). The caller holds the locks.
-- depends: trading/match_resting_order.sql trading/set_aside.sql
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
set search_path = ''
as $$
declare
    v_order_id uuid;
    v_filled integer := 0;
    v_state text;
    v_message text;
begin
    foreach v_order_id in array p_order_ids loop
        if not p_isolate then
            v_filled := v_filled + trading.match_resting_order(
                v_order_id, p_security, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume, p_at
            );
            continue;
        end if;
        begin
            v_filled := v_filled + trading.match_resting_order(
                v_order_id, p_security, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume, p_at
            );
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
'Matches the open orders p_order_ids (oldest first) against one tick or bar; with p_isolate each in its own '
'subtransaction, setting aside (trading.set_aside) one whose data raises a data exception or check violation. '
'Returns how many filled. The caller holds the account locks.';
