-- Places an order and fills what the current quote makes marketable, in one call (§4, §5):
-- validate -> authorize (trading.authorized_account) -> lock the account -> idempotency -> business and risk checks (a failure
-- is a stored rejected order) -> check buying power -> match against the quote -> reserve what rests.
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
returns trading.orders
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_side text := pg_catalog.lower(p_side);
    v_type text := pg_catalog.lower(p_order_type);
    v_tif text := pg_catalog.lower(p_time_in_force);
    v_account trading.accounts;
    v_security market.securities;
    v_quote market.quotes;
    v_order trading.orders;
    v_position trading.positions;
    v_fx numeric;
    v_closing boolean;
    v_reason text;
    v_reserved_cash numeric := 0;
    v_reference numeric;
    v_rule_id uuid;
    v_observed numeric;
    v_now timestamptz := pg_catalog.now();
begin
    perform trading.validate_order_arguments(
        p_account_id, p_symbol, v_side, p_quantity, v_type, p_limit_price, p_stop_price, v_tif, p_client_order_id
    );
    perform trading.authorized_account(p_account_id);
    select * into strict v_account from trading.accounts as a where a.id = p_account_id for update;
    if v_account.kind = 'system' then
        perform app.raise_error('42501', pg_catalog.format('system account %s does not trade', p_account_id));
    end if;

    select * into v_security from market.securities as s where s.symbol = pg_catalog.upper(p_symbol);
    if not found then
        perform app.raise_error(
            'P0002', pg_catalog.format('security %s does not exist', p_symbol), 'Check the symbol (api.upsert_security).'
        );
    end if;

    if p_client_order_id is not null then
        select * into v_order from trading.orders as o
        where o.account_id = p_account_id and o.client_order_id = p_client_order_id;
        if found then
            if (v_order.security_id, v_order.side, v_order.quantity::numeric, v_order.order_type,
                v_order.time_in_force) is distinct from (v_security.id, v_side, p_quantity, v_type, v_tif)
                or v_order.limit_price is distinct from p_limit_price
                or v_order.stop_price is distinct from p_stop_price then
                perform app.raise_error(
                    'TB060',
                    pg_catalog.format(
                        'client_order_id %s of account %s was used for order %s with other arguments',
                        p_client_order_id, p_account_id, v_order.id
                    )
                );
            end if;
            return v_order;
        end if;
    end if;

    select * into v_quote from market.quotes as q where q.security_id = v_security.id;
    select * into v_position from trading.positions as p
    where p.account_id = p_account_id and p.security_id = v_security.id;
    v_position.quantity := coalesce(v_position.quantity, 0);
    v_position.reserved_quantity := coalesce(v_position.reserved_quantity, 0);
    v_closing := (v_side = 'sell' and v_position.quantity > 0) or (v_side = 'buy' and v_position.quantity < 0);
    v_fx := trading.settlement_rate(v_security.currency, v_account.base_currency, v_now);

    v_reason := case
        when v_account.status <> 'active'
            then pg_catalog.format('account %s is %s', p_account_id, v_account.status)
        when not v_security.is_active
            then pg_catalog.format('security %s is inactive', v_security.symbol)
        when not v_security.fractionable and p_quantity <> pg_catalog.trunc(p_quantity)
            then pg_catalog.format('%s trades in whole units only', v_security.symbol)
        when v_type = 'market' and v_quote.price is null
            then pg_catalog.format('no market price for %s', v_security.symbol)
        when v_fx is null
            then pg_catalog.format('no FX rate from %s to %s', v_security.currency, v_account.base_currency)
        when v_closing and p_quantity > pg_catalog.abs(v_position.quantity)
            then pg_catalog.format(
                'order would take the %s position of %s through zero', v_security.symbol, v_position.quantity
            )
        when v_closing and p_quantity > pg_catalog.abs(v_position.quantity) - v_position.reserved_quantity
            then pg_catalog.format(
                'insufficient unreserved quantity: %s of %s %s are held by open orders',
                v_position.reserved_quantity, pg_catalog.abs(v_position.quantity), v_security.symbol
            )
        when v_side = 'sell' and not v_closing and not v_account.allow_short
            then pg_catalog.format('short selling is not allowed on account %s', p_account_id)
    end;

    -- Buys and short sales reserve cash; orders that close a position also reserve its units.
    v_reference := case when v_side = 'buy' then coalesce(v_quote.ask, v_quote.price) else coalesce(v_quote.bid, v_quote.price) end;
    if v_reason is null and (v_side = 'buy' or not v_closing) then
        v_reserved_cash := trading.order_reservation(
            v_type, p_limit_price, p_stop_price, v_reference,
            v_account.slippage_bps, p_quantity, v_fx, v_account.commission_rate, v_account.commission_per_order
        );
        if v_reserved_cash > v_account.cash - v_account.reserved_cash then
            v_reason := pg_catalog.format(
                'insufficient buying power: the order needs %s %s, %s is available',
                v_reserved_cash, v_account.base_currency, v_account.cash - v_account.reserved_cash
            );
        end if;
    end if;

    if v_reason is null then
        select b.rule_id, b.observed, b.message into v_rule_id, v_observed, v_reason
        from risk.first_breach(
            p_account_id, v_account.user_id, case when v_side = 'buy' then p_quantity else -p_quantity end,
            v_position.quantity, coalesce(p_limit_price, p_stop_price, v_reference) * v_fx, v_reserved_cash, v_now
        ) as b;
    end if;

    insert into trading.orders (
        account_id, security_id, client_order_id, side, order_type, time_in_force, status, quantity,
        limit_price, stop_price, reserved_cash, reserved_quantity, reject_reason, expires_at, last_matched_at
    ) values (
        p_account_id, v_security.id, p_client_order_id, v_side, v_type, v_tif,
        case when v_reason is null then 'new' else 'rejected' end,
        p_quantity, p_limit_price, p_stop_price, 0, 0, v_reason,
        case when v_tif = 'day' then pg_catalog.date_trunc('day', v_now, 'UTC') + interval '1 day' end,
        -- Matched against the current quote below; without one, only later prices can fill it.
        case when v_reason is null and v_quote.price is not null then '-infinity' else v_now end
    )
    returning * into v_order;

    if v_reason is not null then
        if v_rule_id is not null then
            perform risk.record_violation(v_rule_id, v_order.id, v_observed, v_reason);
        end if;
        perform notify.publish(
            v_account.user_id, 'order_rejected', 'warning', 'Order rejected', v_reason,
            pg_catalog.jsonb_build_object('order_id', v_order.id, 'account_id', p_account_id, 'symbol', v_security.symbol)
        );
        return v_order;
    end if;

    -- Match first, reserve what is left: an order that fills at once never touches the reservations.
    if v_quote.price is not null then
        perform trading.match_order(
            v_order, v_account, v_security, v_quote.price, v_quote.price, v_quote.price, v_quote.price, v_quote.bid,
            v_quote.ask, v_quote.volume, v_now
        );
        select * into strict v_order from trading.orders as o where o.id = v_order.id;
    elsif v_tif in ('ioc', 'fok') then
        return trading.close_order(v_order.id, 'canceled', v_tif || ': no market price to fill at once');
    end if;
    if v_order.status not in ('new', 'partially_filled') then
        return v_order;
    end if;

    v_reserved_cash := case when v_side = 'buy' or not v_closing then
        trading.order_reservation(
            v_type, p_limit_price, p_stop_price, v_reference, v_account.slippage_bps,
            v_order.quantity - v_order.filled_quantity, v_fx, v_account.commission_rate,
            case when v_order.filled_quantity = 0 then v_account.commission_per_order else 0 end
        )
    else 0 end;
    update trading.orders as o
    set
        reserved_cash = v_reserved_cash,
        reserved_quantity = case when v_closing then o.quantity - o.filled_quantity else 0 end
    where o.id = v_order.id
    returning * into v_order;
    if v_reserved_cash <> 0 then
        update trading.accounts as a set reserved_cash = a.reserved_cash + v_reserved_cash where a.id = p_account_id;
    end if;
    if v_closing then
        update trading.positions as p
        set reserved_quantity = p.reserved_quantity + v_order.reserved_quantity
        where p.account_id = p_account_id and p.security_id = v_security.id;
    end if;
    return v_order;
end
$$;

comment on function api.execute_paper_trade(uuid, text, text, numeric, text, numeric, numeric, text, text) is
'Places an order on an account of the acting user (or, for an administrator, any user account) and fills what the latest quote makes marketable (§5 fill model). '
'Malformed arguments raise 22023; another user''s account 42501; unknown account or symbol P0002; a reused '
'client_order_id with other arguments TB060 (with the same arguments it returns the first order). Business and '
'risk-rule failures return the order with status rejected and a reject_reason. Resting orders fill later through '
'api.record_price or api.match_resting_orders.';
