-- Fills the resting orders of one security that a new tick or bar makes marketable. Locks the
-- accounts involved in ascending id order first, so it never deadlocks with trades or transfers.
-- One order's data never fails the tick for everyone (§5, docs/trading.md "One account never blocks
-- the others"): an order whose matching raises a data exception (22xxx) or a check violation (23514)
-- is set aside (canceled with the reason, an alert, a warning) and the others fill. The batch runs
-- first in a single subtransaction and only after such an error again with one per order: a
-- subtransaction per order would cost every tick one subtransaction id per order that writes, and past
-- 64 of them every snapshot taken by other sessions while this one runs must look ids up in pg_subtrans.
-- Other errors (serialization failures, deadlocks, lock and statement timeouts, and anything that
-- points at a bug: undefined objects, unique or foreign-key violations, internal errors) fail the call.
-- depends: trading/match_resting_orders_pass.sql trading/set_aside.sql
drop function if exists trading.match_resting_orders(
    uuid, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz
);
create or replace function trading.match_resting_orders(
    p_security_id uuid,
    p_open numeric,
    p_high numeric,
    p_low numeric,
    p_last numeric,
    p_bid numeric,
    p_ask numeric,
    p_volume numeric,
    p_at timestamptz,
    p_isolate boolean default null
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_order_ids uuid [];
    v_order_id uuid;
    v_security market.securities;
    v_isolate boolean;
    v_filled integer;
    v_state text;
    v_message text;
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
    if p_isolate is not null then
        -- The caller chose: without a subtransaction (it has its own around many calls) or one per order.
        return trading.match_resting_orders_pass(
            v_order_ids, v_security, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume, p_at, p_isolate
        );
    end if;
    -- An order may have filled or been canceled while this waited for the locks; match_order skips it.
    foreach v_isolate in array array[false, true] loop
        begin
            v_filled := trading.match_resting_orders_pass(
                v_order_ids, v_security, p_open, p_high, p_low, p_last, p_bid, p_ask, p_volume, p_at, v_isolate
            );
            return v_filled;
        exception when data_exception or check_violation then
            -- The second pass catches these per order; one here means setting an order aside failed.
            if v_isolate then
                raise;
            end if;
            get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
            raise notice 'matching % at % again order by order after % (%)', v_security.symbol, p_last, v_state,
                pg_catalog.left(v_message, 300);
        end;
    end loop;
    return 0;
end
$$;

comment on function trading.match_resting_orders(
    uuid, numeric, numeric, numeric, numeric, numeric, numeric, numeric, timestamptz, boolean
) is
'Matches every open order of a security placed before p_at against one tick or bar, oldest first; returns how many '
'orders filled. Locks the accounts involved in ascending id order. An order whose data raises a data exception or '
'check violation is set aside (trading.set_aside) and the rest proceed: by default the batch runs in one '
'subtransaction and, after such an error, again with one per order; p_isolate false runs it without a '
'subtransaction (the caller has one), true with one per order.';
