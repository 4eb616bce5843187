-- A numerator-for-denominator split (§5): open lots and resting orders scale, cost basis stays;
-- holders of a non-fractionable security get cash in lieu of the fractional unit.
create or replace function api.apply_split(
    p_symbol text,
    p_numerator integer,
    p_denominator integer,
    p_effective date
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_security market.securities;
    v_action_id uuid;
    v_ratio numeric;
    v_places integer;
    v_price numeric;
    v_position trading.positions;
    v_account trading.accounts;
    v_order trading.orders;
    v_lot trading.lots;
    v_quantity numeric;
    v_fraction numeric;
    v_left numeric;
    v_take numeric;
    v_cost_part numeric;
    v_cash numeric;
    v_cash_part numeric;
    v_adjustment_id bigint;
    v_journal_id bigint;
    v_closed_cost numeric;
    v_closed_cash numeric;
    v_adjusted integer := 0;
begin
    perform app.require_admin('apply a split');
    if p_numerator is null or p_denominator is null or p_numerator <= 0 or p_denominator <= 0
        or p_numerator = p_denominator or p_numerator > 1000000 or p_denominator > 1000000 then
        perform app.raise_error(
            '22023', pg_catalog.format('split %s-for-%s is not a split', p_numerator, p_denominator),
            'Use two different positive integers, e.g. 2 and 1 for a 2-for-1 split.'
        );
    elsif p_effective is null or not pg_catalog.isfinite(p_effective) then
        perform app.raise_error('22023', 'p_effective must be a date');
    end if;
    v_security := market.security(p_symbol);
    v_action_id := trading.record_corporate_action(v_security, 'split', p_effective, p_numerator, p_denominator);
    v_ratio := p_numerator::numeric / p_denominator;
    v_places := case when v_security.fractionable then 10 else 0 end;

    perform from trading.accounts as a
    where a.id in (
        select p.account_id from trading.positions as p where p.security_id = v_security.id
        union
        select o.account_id from trading.orders as o
        where o.security_id = v_security.id and o.status in ('new', 'partially_filled')
    )
    order by a.id
    for update;

    update market.quotes as q
    set price = pg_catalog.round(q.price / v_ratio, 8), bid = pg_catalog.round(q.bid / v_ratio, 8),
        ask = pg_catalog.round(q.ask / v_ratio, 8)
    where q.security_id = v_security.id
    returning q.price into v_price;

    -- Resting orders: the remaining units scale, prices divide; whole units only where required.
    for v_order in
        select * from trading.orders as o
        where o.security_id = v_security.id and o.status in ('new', 'partially_filled')
    loop
        if pg_catalog.trunc((v_order.quantity - v_order.filled_quantity) * v_ratio, v_places) = 0 then
            perform trading.close_order(v_order.id, 'canceled', 'the split left no whole unit to trade');
        else
            update trading.orders as o
            set
                quantity = o.filled_quantity + pg_catalog.trunc((o.quantity - o.filled_quantity) * v_ratio, v_places),
                reserved_quantity = pg_catalog.trunc(o.reserved_quantity * v_ratio, v_places),
                limit_price = pg_catalog.round(o.limit_price / v_ratio, 8),
                stop_price = pg_catalog.round(o.stop_price / v_ratio, 8)
            where o.id = v_order.id;
        end if;
    end loop;

    for v_position in
        select * from trading.positions as p where p.security_id = v_security.id and p.quantity <> 0 order by p.account_id
    loop
        update trading.lots as l
        set
            quantity = pg_catalog.round(l.quantity * v_ratio, 10),
            open_quantity = pg_catalog.round(l.open_quantity * v_ratio, 10)
        where l.account_id = v_position.account_id and l.security_id = v_security.id and l.open_quantity <> 0;
        select pg_catalog.sum(l.open_quantity) into v_quantity from trading.lots as l
        where l.account_id = v_position.account_id and l.security_id = v_security.id and l.open_quantity <> 0;
        insert into trading.position_adjustments (corporate_action_id, account_id, security_id, kind, quantity)
        values (v_action_id, v_position.account_id, v_security.id, 'split', v_quantity - v_position.quantity);

        v_fraction := v_quantity - pg_catalog.trunc(v_quantity, v_places);
        v_closed_cost := 0;
        v_closed_cash := 0;
        if v_fraction <> 0 then
            -- Cash in lieu: the fractional unit is paid out at the split-adjusted price (a short pays it).
            select * into strict v_account from trading.accounts as a where a.id = v_position.account_id;
            v_cash := pg_catalog.round(
                v_fraction * coalesce(v_price, 0)
                * coalesce(trading.settlement_rate(v_security.currency, v_account.base_currency, pg_catalog.now()), 0),
                8
            );
            v_journal_id := case when v_cash <> 0 then trading.post_journal(
                'cash_in_lieu',
                array[
                    row(v_account.id, v_cash)::trading.journal_line,
                    row(trading.system_account('market_clearing', v_account.base_currency), -v_cash)::trading.journal_line
                ],
                pg_catalog.format('cash in lieu of %s %s after a split', v_fraction, v_security.symbol)
            ) end;
            insert into trading.position_adjustments (
                corporate_action_id, account_id, security_id, kind, quantity, cash, journal_id
            ) values (
                v_action_id, v_account.id, v_security.id, 'cash_in_lieu', -v_fraction, v_cash, v_journal_id
            ) returning id into v_adjustment_id;
            v_left := pg_catalog.abs(v_fraction);
            for v_lot in
                select * from trading.lots as l
                where l.account_id = v_account.id and l.security_id = v_security.id and l.open_quantity <> 0
                order by l.id desc
                for update
            loop
                exit when v_left = 0;
                v_take := least(pg_catalog.abs(v_lot.open_quantity), v_left);
                v_cost_part := case
                    when v_take = pg_catalog.abs(v_lot.open_quantity) then v_lot.cost_basis
                    else pg_catalog.round(v_lot.cost_basis * v_take / pg_catalog.abs(v_lot.open_quantity), 8)
                end;
                v_cash_part := case
                    when v_take = v_left then v_cash - v_closed_cash
                    else pg_catalog.round(v_cash * v_take / pg_catalog.abs(v_fraction), 8)
                end;
                update trading.lots as l
                set
                    open_quantity = l.open_quantity - pg_catalog.sign(l.open_quantity) * v_take,
                    cost_basis = l.cost_basis - v_cost_part,
                    closed_at = case when pg_catalog.abs(l.open_quantity) = v_take then pg_catalog.now() end
                where l.id = v_lot.id;
                insert into trading.lot_closures (
                    lot_id, adjustment_id, account_id, security_id, quantity, cost_basis, proceeds, realized_pnl
                ) values (
                    v_lot.id, v_adjustment_id, v_account.id, v_security.id, v_take, v_cost_part, v_cash_part,
                    v_cash_part - v_cost_part
                );
                v_closed_cost := v_closed_cost + v_cost_part;
                v_closed_cash := v_closed_cash + v_cash_part;
                v_left := v_left - v_take;
            end loop;
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
        v_adjusted := v_adjusted + 1;
    end loop;
    return v_adjusted;
end
$$;

comment on function api.apply_split(text, integer, integer, date) is
'Admin: applies a p_numerator-for-p_denominator split of p_symbol to every holder (open lots and resting orders '
'scale, prices and the quote divide, cost basis stays; cash in lieu of fractions of non-fractionable securities). '
'Returns how many positions changed. 42501 non-admin, 22023 bad ratio or date, P0002 unknown symbol, TB064 applied twice.';
