-- One resting order against one tick or bar: reads the order, its account and position as they are
-- now (earlier orders of the same tick may have changed them) and matches it. The unit that
-- trading.match_resting_orders sets aside when its data fails. The caller holds the account's lock.
-- depends: trading/match_order.sql
create or replace function trading.match_resting_order(
    p_order_id uuid,
    p_security market.securities,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_last numeric,
    p_bid numeric,
    p_ask numeric,
    p_volume numeric,
    p_at timestamptz
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order trading.orders;
    v_account trading.accounts;
    v_position trading.positions;
begin
    select * into strict v_order from trading.orders as o where o.id = p_order_id;
    select * into strict v_account from trading.accounts as a where a.id = v_order.account_id;
    select * into v_position from trading.positions as p
    where p.account_id = v_order.account_id and p.security_id = p_security.id;
    if (trading.match_order(
        v_order, false, v_account, p_security, v_position, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume, p_at
    )).filled_quantity > v_order.filled_quantity then
        return 1;
    end if;
    return 0;
end
$$;

comment on function trading.match_resting_order(
    uuid, market.securities, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz
) is
'Matches one open order (by id, read afresh with its account and position) against a tick or bar; 1 when it '
'filled something, else 0. The caller holds the account lock.';
