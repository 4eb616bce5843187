-- Fills the resting orders of one security that a new tick or bar makes marketable. Locks the
-- accounts involved in ascending id order first, so it never deadlocks with trades or transfers.
-- depends: trading/match_order.sql
create or replace function trading.match_resting_orders(
    p_security_id uuid,
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
    v_order_ids uuid [];
    v_order_id uuid;
    v_order trading.orders;
    v_account trading.accounts;
    v_position trading.positions;
    v_security market.securities;
    v_filled integer := 0;
begin
    select pg_catalog.array_agg(o.id order by o.created_at, o.id) into v_order_ids
    from trading.orders as o
    where
        o.security_id = p_security_id and o.status in ('new', 'partially_filled')
        and o.last_matched_at < p_at and (o.expires_at is null or o.expires_at > p_at);
    if v_order_ids is null then
        return 0;
    end if;

    perform from trading.accounts as a
    where a.id in (select o.account_id from trading.orders as o where o.id = any(v_order_ids))
    order by a.id
    for update;

    select * into strict v_security from market.securities as s where s.id = p_security_id;
    -- An order may have filled or been canceled while this waited for the locks; match_order skips it.
    foreach v_order_id in array v_order_ids loop
        select * into strict v_order from trading.orders as o where o.id = v_order_id;
        select * into strict v_account from trading.accounts as a where a.id = v_order.account_id;
        select * into v_position from trading.positions as p
        where p.account_id = v_order.account_id and p.security_id = p_security_id;
        if (trading.match_order(
            v_order, false, v_account, v_security, v_position, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume,
            p_at
        )).filled_quantity > v_order.filled_quantity then
            v_filled := v_filled + 1;
        end if;
    end loop;
    return v_filled;
end
$$;

comment on function trading.match_resting_orders(uuid, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz) is
'Matches every open order of a security placed before p_at against one tick or bar, oldest first; returns how many '
'orders filled. Locks the accounts involved in ascending id order.';
