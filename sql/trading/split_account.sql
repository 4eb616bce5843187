-- One account's part of a split (§5): its resting orders in the security scale (remaining units times
-- the ratio, prices divided, whole units where required) and its position's open lots scale with the
-- cost basis unchanged. Two kinds of units cannot be carried and are paid out as cash in lieu at the
-- split-adjusted price (a short pays it), closing lots: an open lot that would scale below the quantity
-- precision (10 decimals: 0.00001 units in a 1-for-1,000,000 split) is closed whole before the split,
-- in its pre-split units; and after the split, the fraction of a unit of a non-fractionable security,
-- newest lots first. The unit trading.apply_split sets aside when one account's data fails. The caller
-- holds the account's row lock and has split-adjusted the quote (p_price, null without one).
-- depends: trading/close_order.sql trading/pay_cash_in_lieu.sql market/settlement_rate.sql trading/close_lots.sql
create or replace function trading.split_account(
    p_action_id uuid,
    p_security market.securities,
    p_ratio numeric,
    p_price numeric,
    p_account_id uuid
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_places constant integer := case when p_security.fractionable then 10 else 0 end;
    v_order trading.orders;
    v_position trading.positions;
    v_account trading.accounts;
    v_lot trading.lots;
    v_fx numeric;
    v_quantity numeric;
    v_fraction numeric;
    v_tiny numeric;
    v_left numeric;
    v_cash numeric;
    v_cash_part numeric;
    v_closures trading.lot_closures [];
    v_adjustment_id bigint;
    v_closed_cost numeric := 0;
    v_closed_cash numeric := 0;
begin
    -- Resting orders: the remaining units scale, prices divide; whole units only where required.
    for v_order in
        select * from trading.orders as o
        where
            o.account_id = p_account_id and o.security_id = p_security.id and o.status in ('new', 'partially_filled')
        order by o.id
    loop
        if pg_catalog.trunc((v_order.quantity - v_order.filled_quantity) * p_ratio, v_places) = 0 then
            perform trading.close_order(v_order.id, 'canceled', 'the split left no whole unit to trade');
        else
            update trading.orders as o
            set
                quantity = o.filled_quantity + pg_catalog.trunc((o.quantity - o.filled_quantity) * p_ratio, v_places),
                reserved_quantity = pg_catalog.trunc(o.reserved_quantity * p_ratio, v_places),
                limit_price = pg_catalog.round(o.limit_price / p_ratio, 8),
                stop_price = pg_catalog.round(o.stop_price / p_ratio, 8)
            where o.id = v_order.id;
        end if;
    end loop;

    select * into v_position from trading.positions as p
    where p.account_id = p_account_id and p.security_id = p_security.id and p.quantity <> 0;
    if not found then
        return 0;
    end if;
    select * into strict v_account from trading.accounts as a where a.id = p_account_id;
    v_fx := coalesce(market.settlement_rate(p_security.currency, v_account.base_currency, pg_catalog.now()), 0);

    -- Lots that would scale below the quantity precision: cash in lieu of all of them, before the split.
    select pg_catalog.sum(l.open_quantity) into v_tiny from trading.lots as l
    where
        l.account_id = p_account_id and l.security_id = p_security.id and l.open_quantity <> 0
        and pg_catalog.round(l.open_quantity * p_ratio, 10) = 0;
    if v_tiny is not null then
        v_cash := pg_catalog.round(v_tiny * p_ratio * coalesce(p_price, 0) * v_fx, 8);
        v_adjustment_id := trading.pay_cash_in_lieu(
            p_action_id, v_account, p_security, -v_tiny, v_cash,
            pg_catalog.format('cash in lieu of %s %s too small to split', v_tiny, p_security.symbol)
        );
        v_left := v_tiny;
        for v_lot in
            select * from trading.lots as l
            where
                l.account_id = p_account_id and l.security_id = p_security.id and l.open_quantity <> 0
                and pg_catalog.round(l.open_quantity * p_ratio, 10) = 0
            order by l.id
            for update
        loop
            -- The cash is shared by units; the last lot takes the rounding remainder.
            v_closed_cost := v_closed_cost + v_lot.cost_basis;
            v_left := v_left - v_lot.open_quantity;
            v_cash_part := case
                when v_left = 0 then v_cash - v_closed_cash
                else pg_catalog.round(v_cash * v_lot.open_quantity / v_tiny, 8)
            end;
            v_closed_cash := v_closed_cash + v_cash_part;
            update trading.lots as l
            set open_quantity = 0, cost_basis = 0, closed_at = pg_catalog.now()
            where l.id = v_lot.id;
            insert into trading.lot_closures (
                lot_id, adjustment_id, account_id, security_id, quantity, cost_basis, proceeds, realized_pnl
            ) values (
                v_lot.id, v_adjustment_id, v_account.id, p_security.id, pg_catalog.abs(v_lot.open_quantity),
                v_lot.cost_basis, v_cash_part, v_cash_part - v_lot.cost_basis
            );
        end loop;
    end if;

    update trading.lots as l
    set
        quantity = pg_catalog.round(l.quantity * p_ratio, 10),
        open_quantity = pg_catalog.round(l.open_quantity * p_ratio, 10)
    where l.account_id = p_account_id and l.security_id = p_security.id and l.open_quantity <> 0;
    select coalesce(pg_catalog.sum(l.open_quantity), 0) into v_quantity from trading.lots as l
    where l.account_id = p_account_id and l.security_id = p_security.id and l.open_quantity <> 0;
    insert into trading.position_adjustments (corporate_action_id, account_id, security_id, kind, quantity)
    values (p_action_id, p_account_id, p_security.id, 'split', v_quantity - (v_position.quantity - coalesce(v_tiny, 0)));

    -- Cash in lieu of the fractional unit of a non-fractionable security, newest lots first
    -- (trading.close_lots, as a fill closes lots).
    v_fraction := v_quantity - pg_catalog.trunc(v_quantity, v_places);
    if v_fraction <> 0 then
        v_cash := pg_catalog.round(v_fraction * coalesce(p_price, 0) * v_fx, 8);
        v_adjustment_id := trading.pay_cash_in_lieu(
            p_action_id, v_account, p_security, -v_fraction, v_cash,
            pg_catalog.format('cash in lieu of %s %s after a split', v_fraction, p_security.symbol)
        );
        select c.closures, v_closed_cost + c.closed_cost, v_closed_cash + c.closed_proceeds
        into v_closures, v_closed_cost, v_closed_cash
        from trading.close_lots(
            v_account.id, p_security.id, pg_catalog.abs(v_fraction), v_cash, pg_catalog.abs(v_fraction),
            pg_catalog.now(), true
        ) as c;
        insert into trading.lot_closures (
            lot_id, adjustment_id, account_id, security_id, quantity, cost_basis, proceeds, realized_pnl, closed_at
        )
        select c.lot_id, v_adjustment_id, c.account_id, c.security_id, c.quantity, c.cost_basis, c.proceeds,
            c.realized_pnl, c.closed_at
        from pg_catalog.unnest(v_closures) as c;
    end if;

    update trading.positions as p
    set
        quantity = v_quantity - v_fraction,
        cost_basis = p.cost_basis - v_closed_cost,
        realized_pnl = p.realized_pnl + v_closed_cash - v_closed_cost,
        reserved_quantity = coalesce((
            select pg_catalog.sum(o.reserved_quantity) from trading.orders as o
            where
                o.account_id = p.account_id and o.security_id = p.security_id
                and o.status in ('new', 'partially_filled')
        ), 0),
        updated_at = pg_catalog.now()
    where p.id = v_position.id;
    return 1;
end
$$;

comment on function trading.split_account(uuid, market.securities, numeric, numeric, uuid) is
'Applies the split p_action_id (p_ratio = numerator / denominator) to one account: scales its resting orders in '
'p_security and its open lots, pays cash in lieu at the split-adjusted p_price of lots that would scale below '
'10 decimals (closed before the split) and of the fractional unit of a non-fractionable security, and updates '
'the position. Returns 1 when it had a position, else 0. The caller holds the account lock.';
