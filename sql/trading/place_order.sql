-- The one way an order is placed (§5, issue 14 §1), for a person or a system actor:
-- validate -> idempotency -> business and risk checks (a failure is a stored rejected order) -> check
-- buying power -> match against the quote -> reserve what rests. The order records who placed it
-- (app.current_actor: owner, support or a system actor), its source and the row that caused it; a
-- system actor's order is also an audit event (order_placed) under its name.
-- The caller has authorised the actor for the account and holds the account's row lock, and passes the
-- row as locked: api.execute_paper_trade through trading.authorized_account, a job or worker after
-- locking its accounts in id order. Before that lock it has taken the security's advisory lock shared
-- (market.security_lock_key), so a split of the security either waits for this order or has finished:
-- the quote read below is never one a split in flight is about to divide.
-- The trade path of every app, so it keeps to few statements: one for the security, quote, position
-- and whether risk rules exist, and the order is written once, in the state its first match leaves it
-- (trading.match_order).
-- depends: trading/match_order.sql trading/save_order.sql trading/close_order.sql
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.place_order(
    p_account trading.accounts,
    p_symbol text,
    p_side text,
    p_quantity numeric,
    p_order_type text default 'market',
    p_limit_price numeric default null,
    p_stop_price numeric default null,
    p_time_in_force text default 'day',
    p_client_order_id text default null,
    p_source text default 'manual',
    p_cause_id uuid default null
)
returns trading.orders
language plpgsql
volatile
as $$
declare
    v_side text := pg_catalog.lower(p_side);
    v_type text := pg_catalog.lower(p_order_type);
    v_tif text := pg_catalog.lower(p_time_in_force);
    v_actor text := app.current_actor();
    v_security market.securities;
    v_quote market.quotes;
    v_position trading.positions;
    v_lookup record;
    v_order trading.orders;
    v_account_id constant uuid := p_account.id;
    v_fx numeric;
    v_closing boolean;
    v_broken text;
    v_reason text;
    v_reserved_cash numeric := 0;
    v_reference numeric;
    v_rule_id uuid;
    v_observed numeric;
    v_now timestamptz := pg_catalog.now();
begin
    -- Malformed arguments are errors (22023), never rejections and never a cast failure.
    if p_account.id is null then
        perform app.raise_error('22023', 'p_account is required');
    elsif p_symbol is null or pg_catalog.btrim(p_symbol) = '' then
        perform app.raise_error('22023', 'p_symbol is required');
    elsif v_side is null or v_side not in ('buy', 'sell') then
        perform app.raise_error('22023', pg_catalog.format('side %s is not buy or sell', p_side), 'Use buy or sell.');
    elsif v_type is null or v_type not in ('market', 'limit', 'stop', 'stop_limit') then
        perform app.raise_error(
            '22023', pg_catalog.format('order type %s is unknown', p_order_type), 'Use market, limit, stop or stop_limit.'
        );
    elsif v_tif is null or v_tif not in ('day', 'gtc', 'ioc', 'fok') then
        perform app.raise_error(
            '22023', pg_catalog.format('time in force %s is unknown', p_time_in_force), 'Use day, gtc, ioc or fok.'
        );
    -- The bounds of docs/trading.md "Limits", written out: app.max_quantity() 10^11, app.max_price() 10^9,
    -- app.max_balance() 2 x 10^15 (a function call in each expression costs the order path an execute
    -- check per transaction; test_limits.sql holds the two to the same numbers at their edges).
    elsif p_quantity is null or p_quantity = 'NaN' or p_quantity <= 0 or p_quantity > 100000000000
        or p_quantity <> pg_catalog.round(p_quantity, 10) then
        perform app.raise_error(
            '22023', pg_catalog.format('quantity %s is not a positive number of units', pg_catalog.left(p_quantity::text, 40)),
            'Use a positive quantity up to 100000000000 with at most 10 decimals (docs/trading.md, Limits).'
        );
    elsif (v_type in ('limit', 'stop_limit')) <> (p_limit_price is not null) then
        perform app.raise_error(
            '22023', pg_catalog.format('a %s order %s a limit price', v_type,
                case when p_limit_price is null then 'needs' else 'takes no' end)
        );
    elsif (v_type in ('stop', 'stop_limit')) <> (p_stop_price is not null) then
        perform app.raise_error(
            '22023', pg_catalog.format('a %s order %s a stop price', v_type,
                case when p_stop_price is null then 'needs' else 'takes no' end)
        );
    end if;
    -- A price's checks are nested under its presence, so an order without that price (a market order has
    -- neither) never sets their expressions up: that room pays for the security's lock that
    -- api.execute_paper_trade takes (docs/performance.md).
    if p_limit_price is not null then
        if p_limit_price = 'NaN' or p_limit_price <= 0 or p_limit_price > 1000000000
            or p_limit_price <> pg_catalog.round(p_limit_price, 8) then
            perform app.raise_error(
                '22023', pg_catalog.format('limit price %s is not a positive price', pg_catalog.left(p_limit_price::text, 40)),
                'Use a price from 0.00000001 to 1000000000 with at most 8 decimals (docs/trading.md, Limits).'
            );
        end if;
    end if;
    if p_stop_price is not null then
        if p_stop_price = 'NaN' or p_stop_price <= 0 or p_stop_price > 1000000000
            or p_stop_price <> pg_catalog.round(p_stop_price, 8) then
            perform app.raise_error(
                '22023', pg_catalog.format('stop price %s is not a positive price', pg_catalog.left(p_stop_price::text, 40)),
                'Use a price from 0.00000001 to 1000000000 with at most 8 decimals (docs/trading.md, Limits).'
            );
        end if;
    end if;
    if p_client_order_id is not null and pg_catalog.length(p_client_order_id) not between 1 and 64 then
        perform app.raise_error('22023', 'client_order_id must have 1 to 64 characters');
    end if;

    -- Who places what, and where (trading.orders.source): people place manual orders without a cause,
    -- system actors the others; a system account does not trade; a fund's account trades only as the fund
    -- (api.fund_trade, the fund_manager actor), and only it does. One test on the path of a person's order.
    if p_source is distinct from 'manual' or p_cause_id is not null or p_account.kind in ('system', 'fund')
        or v_actor is distinct from 'owner' and v_actor is distinct from 'support' then
        if p_source is null or p_source not in ('manual', 'copy', 'auto_invest', 'strategy', 'fund')
            or (p_source = 'manual') is distinct from coalesce(v_actor in ('owner', 'support'), false)
            or (p_source = 'manual' and p_cause_id is not null) then
            perform app.raise_error('22023', pg_catalog.format(
                'actor %s may not place an order of source %s (cause %s)', coalesce(v_actor, 'anonymous'),
                app.quote_input(p_source), p_cause_id
            ), 'People place manual orders without a cause; system actors place copy, auto_invest, strategy or fund '
                || 'orders.');
        elsif p_account.kind = 'system' then
            perform app.raise_error('42501', pg_catalog.format('system account %s does not trade', p_account.id));
        elsif (p_account.kind = 'fund') <> (p_source = 'fund') then
            perform app.raise_error('42501', pg_catalog.format('account %s (%s) does not take %s orders',
                p_account.id, p_account.kind, p_source), 'A fund''s account trades only through api.fund_trade, by its manager.');
        end if;
    end if;

    -- The account's row lock is held, so its position cannot change before this order is done.
    select s as security, q as quote, p as position, exists (
        select from risk.rules as r
        where r.user_id = p_account.user_id and r.is_active and (r.account_id is null or r.account_id = v_account_id)
    ) as has_rules
    into v_lookup
    from market.securities as s
    left join market.quotes as q on q.security_id = s.id
    left join trading.positions as p on p.account_id = v_account_id and p.security_id = s.id
    where s.symbol = pg_catalog.upper(p_symbol);
    if not found then
        perform app.raise_error(
            'P0002', pg_catalog.format('security %s does not exist', p_symbol), 'Check the symbol (api.upsert_security).'
        );
    end if;

    v_security := v_lookup.security;
    v_quote := v_lookup.quote;
    v_position := v_lookup.position;

    -- Every way out of the block leaves the order it placed (or found) in v_order.
    <<placed>>
    begin
        if p_client_order_id is not null then
            select * into v_order from trading.orders as o
            where o.account_id = v_account_id and o.client_order_id = p_client_order_id;
            if found then
                if (v_order.security_id, v_order.side, v_order.quantity::numeric, v_order.order_type,
                    v_order.time_in_force) is distinct from (v_security.id, v_side, p_quantity, v_type, v_tif)
                    or v_order.limit_price is distinct from p_limit_price
                    or v_order.stop_price is distinct from p_stop_price then
                    perform app.raise_error(
                        'TB060',
                        pg_catalog.format(
                            'client_order_id %s of account %s was used for order %s with other arguments',
                            p_client_order_id, v_account_id, v_order.id
                        )
                    );
                end if;
                exit placed;
            end if;
        end if;

        v_position.quantity := coalesce(v_position.quantity, 0);
        v_position.reserved_quantity := coalesce(v_position.reserved_quantity, 0);
        v_closing := (v_side = 'sell' and v_position.quantity > 0) or (v_side = 'buy' and v_position.quantity < 0);
        v_fx := market.settlement_rate(v_security.currency, p_account.base_currency, v_now);

        -- The first broken rule, then its message: PL/pgSQL compiles an expression on its first use in each
        -- transaction, all of a CASE's branches with it, so the messages are only compiled for a rejection.
        v_broken := case
            when p_account.status <> 'active' then 'account_status'
            when not v_security.is_active then 'security_inactive'
            when not v_security.fractionable and p_quantity <> pg_catalog.trunc(p_quantity) then 'whole_units'
            when v_type = 'market' and v_quote.price is null then 'no_price'
            when v_fx is null then 'no_fx_rate'
            when v_closing and p_quantity > pg_catalog.abs(v_position.quantity) then 'through_zero'
            when v_closing and p_quantity > pg_catalog.abs(v_position.quantity) - v_position.reserved_quantity
                then 'reserved_quantity'
            when v_side = 'sell' and not v_closing and not p_account.allow_short then 'no_shorts'
            -- A position grows to at most app.max_quantity() units (docs/trading.md, "Limits").
            when not v_closing and pg_catalog.abs(v_position.quantity) + p_quantity > 100000000000
                then 'position_limit'
        end;
        if v_broken is not null then
            v_reason := case v_broken
                when 'account_status' then pg_catalog.format('account %s is %s', v_account_id, p_account.status)
                when 'security_inactive' then pg_catalog.format('security %s is inactive', v_security.symbol)
                when 'whole_units' then pg_catalog.format('%s trades in whole units only', v_security.symbol)
                when 'no_price' then pg_catalog.format('no market price for %s', v_security.symbol)
                when 'no_fx_rate'
                    then pg_catalog.format('no FX rate from %s to %s', v_security.currency, p_account.base_currency)
                when 'through_zero' then pg_catalog.format(
                    'order would take the %s position of %s through zero', v_security.symbol, v_position.quantity
                )
                when 'reserved_quantity' then pg_catalog.format(
                    'insufficient unreserved quantity: %s of %s %s are held by open orders',
                    v_position.reserved_quantity, pg_catalog.abs(v_position.quantity), v_security.symbol
                )
                when 'no_shorts' then pg_catalog.format('short selling is not allowed on account %s', v_account_id)
                when 'position_limit' then pg_catalog.format(
                    'order would take the %s position to %s units, above the limit of %s', v_security.symbol,
                    pg_catalog.abs(v_position.quantity) + p_quantity, app.max_quantity()
                )
            end;
        end if;

        -- Buys and short sales reserve cash; orders that close a position also reserve its units.
        v_reference := case when v_side = 'buy' then coalesce(v_quote.ask, v_quote.price) else coalesce(v_quote.bid, v_quote.price) end;
        if v_reason is null and (v_side = 'buy' or not v_closing) then
            v_reserved_cash := trading.order_reservation(
                v_type, p_limit_price, p_stop_price, v_reference,
                p_account.slippage_bps, p_quantity, v_fx, p_account.commission_rate, p_account.commission_per_order
            );
            if v_reserved_cash > p_account.cash - p_account.reserved_cash then
                v_reason := pg_catalog.format(
                    'insufficient buying power: the order needs %s %s, %s is available',
                    v_reserved_cash, p_account.base_currency, p_account.cash - p_account.reserved_cash
                );
            elsif not v_closing
                and pg_catalog.abs(coalesce(v_position.cost_basis, 0)) + p_account.reserved_cash + v_reserved_cash
                > 2000000000000000 then
                -- A position's cost basis (and so each lot's) stays within app.max_balance() plus the cash
                -- a gapped stop may take beyond its reservation (docs/trading.md, "Limits").
                v_reason := pg_catalog.format(
                    'the %s position''s cost basis could exceed the limit of %s %s', v_security.symbol,
                    app.max_balance(), p_account.base_currency
                );
            end if;
        end if;
        -- A sale (or short sale) may not bring cash above app.max_balance() at the highest price known now
        -- (docs/trading.md, "Limits"). Nested, so a buy never sets the check's expression up.
        if v_reason is null and v_side = 'sell' then
            if p_account.cash + p_quantity * v_fx * greatest(v_quote.price, v_quote.bid, p_limit_price, p_stop_price)
                > 2000000000000000 then
                v_reason := pg_catalog.format(
                    'the sale could bring the cash of account %s to %s, above the limit of %s: sell less at a time',
                    v_account_id, p_account.cash + pg_catalog.round(p_quantity * v_fx
                        * greatest(v_quote.price, v_quote.bid, p_limit_price, p_stop_price), 8), app.max_balance()
                );
            end if;
        end if;

        if v_reason is null and v_lookup.has_rules then
            select b.rule_id, b.observed, b.message into v_rule_id, v_observed, v_reason
            from risk.first_breach(
                v_account_id, p_account.user_id, case when v_side = 'buy' then p_quantity else -p_quantity end,
                v_position.quantity, coalesce(p_limit_price, p_stop_price, v_reference) * v_fx, v_reserved_cash, v_now
            ) as b;
        end if;

        -- The order in memory; trading.save_order (or trading.match_order) stores it.
        v_order.id := pg_catalog.gen_random_uuid();
        v_order.account_id := v_account_id;
        v_order.security_id := v_security.id;
        v_order.client_order_id := p_client_order_id;
        v_order.placed_by := v_actor;
        v_order.source := p_source;
        v_order.cause_id := p_cause_id;
        v_order.side := v_side;
        v_order.order_type := v_type;
        v_order.time_in_force := v_tif;
        v_order.status := case when v_reason is null then 'new' else 'rejected' end;
        v_order.quantity := p_quantity;
        v_order.limit_price := p_limit_price;
        v_order.stop_price := p_stop_price;
        v_order.stop_triggered := false;
        v_order.filled_quantity := 0;
        v_order.fees := 0;
        v_order.reserved_cash := 0;
        v_order.reserved_quantity := 0;
        v_order.reject_reason := v_reason;
        v_order.expires_at := case when v_tif = 'day' then pg_catalog.date_trunc('day', v_now, 'UTC') + interval '1 day' end;
        -- Matched against the current quote below; without one, only later prices can fill it.
        v_order.last_matched_at := v_now;
        v_order.created_at := v_now;
        v_order.updated_at := v_now;

        if v_reason is not null then
            v_order := trading.save_order(v_order, true);
            if v_rule_id is not null then
                perform risk.record_violation(v_rule_id, v_order.id, v_observed, v_reason);
            end if;
            perform notify.publish(
                p_account.user_id, 'order_rejected', 'warning', 'Order rejected', v_reason,
                pg_catalog.jsonb_build_object('order_id', v_order.id, 'account_id', v_account_id, 'symbol', v_security.symbol)
            );
            exit placed;
        end if;

        -- Match first, reserve what is left: an order that fills at once never touches the reservations.
        if v_quote.price is not null then
            v_order.last_matched_at := '-infinity';
            v_order := trading.match_order(
                v_order, true, p_account, v_security, v_position, v_quote.price, v_quote.price, v_quote.price,
                v_quote.price, v_quote.bid, v_quote.ask, v_quote.volume, v_now
            );
        else
            v_order := trading.save_order(v_order, true);
            if v_tif in ('ioc', 'fok') then
                v_order := trading.close_order(v_order.id, 'canceled', v_tif || ': no market price to fill at once');
            exit placed;
            end if;
        end if;
        if v_order.status not in ('new', 'partially_filled') then
            exit placed;
        end if;

        v_reserved_cash := case when v_side = 'buy' or not v_closing then
            trading.order_reservation(
                v_type, p_limit_price, p_stop_price, v_reference, p_account.slippage_bps,
                v_order.quantity - v_order.filled_quantity, v_fx, p_account.commission_rate,
                case when v_order.filled_quantity = 0 then p_account.commission_per_order else 0 end
            )
        else 0 end;
        update trading.orders as o
        set
            reserved_cash = v_reserved_cash,
            reserved_quantity = case when v_closing then o.quantity - o.filled_quantity else 0 end
        where o.id = v_order.id
        returning * into v_order;
        if v_reserved_cash <> 0 then
            update trading.accounts as a set reserved_cash = a.reserved_cash + v_reserved_cash where a.id = v_account_id;
        end if;
        if v_closing then
            update trading.positions as p
            set reserved_quantity = p.reserved_quantity + v_order.reserved_quantity
            where p.account_id = v_account_id and p.security_id = v_security.id;
        end if;
    end;
    -- A system actor's orders are audited under its name (a person's are their own record, placed_by).
    if v_actor not in ('owner', 'support') then
        perform audit.log_event('order_placed', p_account.user_id, pg_catalog.jsonb_build_object(
            'order_id', v_order.id, 'account_id', v_account_id, 'source', p_source, 'cause_id', p_cause_id,
            'status', v_order.status
        ));
    end if;
    return v_order;
end
$$;

comment on function trading.place_order(
    trading.accounts, text, text, numeric, text, numeric, numeric, text, text, text, uuid
) is
'Places an order on p_account (locked and authorised by the caller) for the acting person or system actor '
'(placed_by), with its source and cause, and fills what the latest quote makes marketable (§5 fill model). '
'Malformed arguments raise 22023 (a quantity above app.max_quantity(), a price above app.max_price(), a source '
'the actor may not use); a system account, a fund account for any source but fund, or a fund order on another '
'account 42501; an unknown symbol P0002; a reused client_order_id with other '
'arguments TB060 (with the same arguments it returns the first order). Business and risk-rule failures return '
'the order with status rejected and a reject_reason.';
