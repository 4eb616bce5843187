-- One execution of an order (§5): commission, settlement journal, lots (FIFO or average cost),
-- position, realized P&L, and the order's fill state and remaining reservation. The caller holds
-- the account's row lock, passes the current account and position rows, and has computed price and
-- quantity with the fill model; a new order (p_insert) is inserted here, already in its filled state.
-- The settlement is written here rather than through trading.post_journal: its shape is fixed (one
-- user account, already locked, and two system accounts) and it balances by construction, so cash,
-- postings, fill, lot, position and event go in one statement, the trade path's largest saving.
-- depends: trading/order_reservation.sql trading/system_account.sql trading/close_lots.sql
drop function if exists trading.apply_fill(
    trading.orders, trading.accounts, numeric, numeric, numeric, timestamptz, boolean
);
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.apply_fill(
    p_order trading.orders,
    p_insert boolean,
    p_account trading.accounts,
    p_position trading.positions,
    p_quantity numeric,
    p_price numeric,
    p_fx_rate numeric,
    p_at timestamptz
)
returns trading.orders
language plpgsql
volatile
as $$
declare
    v_order trading.orders := p_order;
    v_account trading.accounts := p_account;
    v_buy constant boolean := p_order.side = 'buy';
    v_signed constant numeric := case when p_order.side = 'buy' then p_quantity else -p_quantity end;
    v_notional constant numeric := pg_catalog.round(p_quantity * p_price * p_fx_rate, 8);
    v_commission numeric;
    v_cash_flow numeric;
    v_remaining numeric;
    v_reserved_cash numeric;
    v_reserved_quantity numeric;
    v_fill_id bigint;
    v_journal_id bigint;
    v_posted_at timestamptz;
    v_held numeric := coalesce(p_position.quantity, 0);
    v_closing numeric;
    v_closed trading.lot_closures [];
    v_closed_cost numeric := 0;
    v_closed_proceeds numeric := 0;
    v_new_lot_cost numeric := 0;
begin
    v_commission := case when v_order.filled_quantity = 0 then v_account.commission_per_order else 0 end
        + pg_catalog.round(v_notional * v_account.commission_rate, 8);
    v_cash_flow := case when v_buy then -(v_notional + v_commission) else v_notional - v_commission end;

    v_remaining := v_order.quantity - v_order.filled_quantity - p_quantity;
    -- An IF, not a CASE: PL/pgSQL compiles an expression on its first use in each transaction, all of
    -- a CASE's branches with it, and an order that fills at once never needs this one.
    v_reserved_cash := 0;
    if v_order.reserved_cash <> 0 and v_remaining <> 0 then
        v_reserved_cash := trading.order_reservation(
            v_order.order_type, v_order.limit_price, v_order.stop_price, p_price, v_account.slippage_bps,
            v_remaining, p_fx_rate, v_account.commission_rate, 0
        );
    end if;
    v_reserved_quantity := greatest(v_order.reserved_quantity - p_quantity, 0);

    -- The fill may not eat into what other open orders hold (a gap can make a stop cost more than reserved).
    if v_account.cash + v_cash_flow < v_account.reserved_cash - v_order.reserved_cash + v_reserved_cash then
        return null;
    end if;

    v_order.average_fill_price := pg_catalog.round(
        (coalesce(v_order.average_fill_price, 0) * v_order.filled_quantity + p_price * p_quantity)
        / (v_order.filled_quantity + p_quantity),
        8
    );
    v_order.filled_quantity := v_order.filled_quantity + p_quantity;
    v_order.fees := v_order.fees + v_commission;
    v_order.status := case when v_remaining = 0 then 'filled' else 'partially_filled' end;
    v_order.reserved_cash := v_reserved_cash;
    v_order.reserved_quantity := v_reserved_quantity;
    v_order := trading.save_order(v_order, p_insert);

    -- Close lots of the opposite side first (trading.close_lots; the closures are written after the fill
    -- they reference); what is left opens a new lot.
    v_closing := case
        when pg_catalog.sign(v_held) = -pg_catalog.sign(v_signed) then least(p_quantity, pg_catalog.abs(v_held))
        else 0
    end;
    if v_closing > 0 and v_account.cost_basis_method = 'average' then
        -- Average cost: give every open lot the position's mean unit cost, then close oldest first.
        update trading.lots as l
        set cost_basis = x.cost + case when x.newest then p_position.cost_basis - x.total else 0 end
        from (
            select
                l2.id,
                pg_catalog.round(p_position.cost_basis * l2.open_quantity / v_held, 8) as cost,
                pg_catalog.row_number() over (order by l2.id desc) = 1 as newest,
                pg_catalog.sum(pg_catalog.round(p_position.cost_basis * l2.open_quantity / v_held, 8)) over () as total
            from trading.lots as l2
            where
                l2.account_id = v_order.account_id and l2.security_id = v_order.security_id
                and l2.open_quantity <> 0
        ) as x
        where l.id = x.id;
    end if;
    if v_closing > 0 then
        select c.closures, c.closed_cost, c.closed_proceeds into v_closed, v_closed_cost, v_closed_proceeds
        from trading.close_lots(v_order.account_id, v_order.security_id, v_closing, v_cash_flow, p_quantity, p_at) as c;
    end if;
    -- An opening lot costs what was paid (fees included), or minus what a short sale brought in.
    if p_quantity > v_closing then
        v_new_lot_cost := -(v_cash_flow - v_closed_proceeds);
    end if;

    -- The settlement journal: the account pays (or receives) the notional plus fees, market clearing
    -- takes the notional, fee income the commission, all in the account's currency. It balances by
    -- construction and is written in one statement, so trading.transactions_journal_balanced finds it
    -- balanced at the statement's end and queues nothing for the deferred check; lines of zero are
    -- left out, and a fill of no value has no journal.
    v_fill_id := pg_catalog.nextval('trading.fills_id_seq');
    if v_notional <> 0 or v_commission <> 0 then
        v_journal_id := pg_catalog.nextval('trading.journal_id_seq');
    end if;
    v_posted_at := pg_catalog.clock_timestamp();

    -- One statement writes the rest: cash, postings, fill, opening lot, position and the queued fill event.
    with account as (
        update trading.accounts as a
        set
            cash = a.cash + v_cash_flow,
            reserved_cash = a.reserved_cash - p_order.reserved_cash + v_reserved_cash
        where a.id = v_account.id
        returning a.cash
    ),

    postings as (
        insert into trading.transactions (
            journal_id, account_id, currency, amount, balance_after, kind, memo, order_id, fill_id, posted_at
        )
        select
            v_journal_id, l.account_id, v_account.base_currency, l.amount, l.balance_after, 'trade',
            pg_catalog.format('fill %s of order %s', v_fill_id, v_order.id), v_order.id, v_fill_id, v_posted_at
        from (
            select v_account.id, v_cash_flow, account.cash, 1 from account
            union all
            -- System accounts appear on first use (trading.system_account), so the lookup may find none.
            select
                coalesce(a.id, trading.system_account(s.purpose, v_account.base_currency)), s.amount, null, s.n
            from (
                values
                ('market_clearing', case when v_buy then v_notional else -v_notional end, 2),
                ('fee_income', v_commission, 3)
            ) as s (purpose, amount, n)
            left join trading.accounts as a
                on a.system_purpose = s.purpose and a.base_currency = v_account.base_currency
        ) as l (account_id, amount, balance_after, n)
        where v_journal_id is not null and l.amount <> 0
        order by l.n
    ),

    fill as (
        insert into trading.fills (
            id, order_id, account_id, security_id, side, quantity, price, fx_rate, notional, commission,
            journal_id, filled_at
        ) overriding system value values (
            v_fill_id, v_order.id, v_order.account_id, v_order.security_id, v_order.side, p_quantity, p_price,
            p_fx_rate, v_notional, v_commission, v_journal_id, p_at
        )
    ),

    opening_lot as (
        insert into trading.lots (account_id, security_id, fill_id, quantity, open_quantity, cost_basis, opened_at)
        select
            v_order.account_id, v_order.security_id, v_fill_id, pg_catalog.sign(v_signed) * (p_quantity - v_closing),
            pg_catalog.sign(v_signed) * (p_quantity - v_closing), v_new_lot_cost, p_at
        where p_quantity > v_closing
    ),

    event as (
        -- The outbox row (notify.events); tradebase worker's consumers make the notification. No
        -- NOTIFY here: one per fill would serialise commits (see notify.publish); the worker polls.
        insert into notify.events (user_id, kind, level, title, message, data)
        values (
            v_account.user_id,
            case when v_remaining = 0 then 'order_filled' else 'order_partially_filled' end,
            'info',
            case when v_remaining = 0 then 'Order filled' else 'Order partially filled' end,
            pg_catalog.format('%s %s at %s', v_order.side, p_quantity, p_price),
            pg_catalog.jsonb_build_object(
                'order_id', v_order.id, 'account_id', v_order.account_id, 'fill_id', v_fill_id,
                'quantity', p_quantity, 'price', p_price, 'remaining', v_remaining
            )
        )
    )

    insert into trading.positions as p (
        account_id, security_id, quantity, cost_basis, realized_pnl, reserved_quantity, opened_at, updated_at
    ) values (
        v_order.account_id, v_order.security_id, v_signed, v_new_lot_cost, 0, 0, p_at, p_at
    )
    on conflict on constraint positions_account_security_uk do update
    set
        quantity = p.quantity + v_signed,
        cost_basis = p.cost_basis - v_closed_cost + v_new_lot_cost,
        realized_pnl = p.realized_pnl + v_closed_proceeds - v_closed_cost,
        reserved_quantity = p.reserved_quantity - (p_order.reserved_quantity - v_reserved_quantity),
        opened_at = case when p.quantity = 0 then p_at else p.opened_at end,
        updated_at = p_at;

    if v_closing > 0 then
        insert into trading.lot_closures (
            lot_id, fill_id, account_id, security_id, quantity, cost_basis, proceeds, realized_pnl, closed_at
        )
        select c.lot_id, v_fill_id, c.account_id, c.security_id, c.quantity, c.cost_basis, c.proceeds, c.realized_pnl,
            c.closed_at
        from pg_catalog.unnest(v_closed) as c;
    end if;
    return v_order;
end
$$;

comment on function trading.apply_fill(
    trading.orders, boolean, trading.accounts, trading.positions, numeric, numeric, numeric, timestamptz
) is
'Executes p_quantity of an open order at p_price (security currency, x p_fx_rate into account currency); the caller '
'holds the account lock and passes the current order (with p_insert a new order, inserted here), account and '
'position rows: charges commission, writes the settlement journal (account, market clearing, fee income), closes '
'lots FIFO or at average cost and opens the rest, updates position, realized P&L, order fill state and '
'reservations, and queues the fill event. '
'Returns the order as stored, or null (nothing done) when the cash after the fill would not cover what other open '
'orders reserve.';
