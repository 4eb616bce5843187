-- A numerator-for-denominator split (§5): open lots and resting orders scale, cost basis stays;
-- holders of a non-fractionable security get cash in lieu of the fractional unit, and lots too small
-- to scale (below 10 decimals) are paid out as cash in lieu (trading.split_account).
-- Lock order: the security's advisory lock, then the holders' accounts in id order, then the quote.
-- depends: trading/split_account.sql trading/split_accounts.sql trading/set_aside.sql
-- depends: market/security_lock_key.sql
create or replace function trading.apply_split(
    p_symbol text,
    p_numerator integer,
    p_denominator integer,
    p_effective date
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_security market.securities;
    v_action_id uuid;
    v_ratio numeric;
    v_price numeric;
    v_account_id uuid;
    v_isolate boolean;
    v_state text;
    v_message text;
    v_adjusted integer := 0;
begin
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
    -- The security's lock, exclusively and before any row lock (market.security_lock_key): an order
    -- being placed in it (or a tick being recorded) finishes first, and its order is among those scaled
    -- below; one placed later waits, and reads the split-adjusted quote. Without it an order placed
    -- meanwhile read the pre-split quote and was written after the scan of the resting orders, so it
    -- escaped the split (a fill at the old price in old units, a limit order at an old price).
    perform pg_catalog.pg_advisory_xact_lock(market.security_lock_key(v_security.symbol));
    -- The quote stays within the price limits (docs/trading.md, "Limits"): a split that would take the
    -- price, bid or ask below 0.00000001 (it would round to zero) or above app.max_price() is refused
    -- for everyone alike; what one holder's data cannot take is set aside below, account by account.
    declare
        v_low numeric;
        v_high numeric;
    begin
        select least(q.price, q.bid, q.ask), greatest(q.price, q.bid, q.ask) into v_low, v_high
        from market.quotes as q where q.security_id = v_security.id;
        if pg_catalog.round(v_low * p_denominator / p_numerator, 8) < 0.00000001
            or v_high * p_denominator / p_numerator > app.max_price() then
            perform app.raise_error('22023', pg_catalog.format(
                'a %s-for-%s split would take the %s quote of %s .. %s outside the price limits', p_numerator,
                p_denominator, v_security.symbol, v_low, v_high
            ), 'Prices lie from 0.00000001 to 1000000000 (docs/trading.md, Limits); check the ratio.');
        end if;
    end;
    v_action_id := trading.record_corporate_action(v_security, 'split', p_effective, p_numerator, p_denominator);
    v_ratio := p_numerator::numeric / p_denominator;

    perform from trading.accounts as a
    where a.id in (select h.account_id from trading.split_accounts(v_security.id) as h)
    order by a.id
    for update;

    update market.quotes as q
    set price = pg_catalog.round(q.price / v_ratio, 8), bid = pg_catalog.round(q.bid / v_ratio, 8),
        ask = pg_catalog.round(q.ask / v_ratio, 8)
    where q.security_id = v_security.id
    returning q.price into v_price;

    -- Account by account (trading.split_account). One holder's data never fails the split for the others
    -- (§5): the whole split runs in one subtransaction and, after a data exception (22xxx), a check
    -- violation (23514) or a charge the account cannot pay (TB040: a short paying cash in lieu), again
    -- with one subtransaction per account; an account that fails there is set aside: its position is left
    -- as it was, its open orders in the security are canceled and a critical alert names the error.
    foreach v_isolate in array array[false, true] loop
        begin
            v_adjusted := 0;
            for v_account_id in
                select a.id from trading.accounts as a
                where a.id in (select h.account_id from trading.split_accounts(v_security.id) as h)
                order by a.id
            loop
                if not v_isolate then
                    v_adjusted := v_adjusted + trading.split_account(
                        v_action_id, v_security, v_ratio, v_price, v_account_id
                    );
                    continue;
                end if;
                begin
                    v_adjusted := v_adjusted + trading.split_account(
                        v_action_id, v_security, v_ratio, v_price, v_account_id
                    );
                exception when data_exception or check_violation or sqlstate 'TB040' then
                    get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
                    perform trading.set_aside(
                        pg_catalog.format(
                            'the %s-for-%s split of %s (its %s position was left unsplit and its open orders canceled)',
                            p_numerator, p_denominator, v_security.symbol, v_security.symbol
                        ),
                        v_account_id, null, v_state, v_message, v_security.id
                    );
                end;
            end loop;
            exit;
        exception when data_exception or check_violation or sqlstate 'TB040' then
            -- The second pass catches these per account; one here means setting an account aside failed.
            if v_isolate then
                raise;
            end if;
        end;
    end loop;
    return v_adjusted;
end
$$;

comment on function trading.apply_split(text, integer, integer, date) is
'Applies a p_numerator-for-p_denominator split of p_symbol to every holder (open lots and resting orders '
'scale, prices and the quote divide, cost basis stays; cash in lieu of fractions of non-fractionable securities '
'and of lots that would scale below 10 decimals). An account whose data fails (a data exception, a check '
'violation, or TB040 when it cannot pay cash in lieu) is set aside: position left unsplit, open orders in the '
'security canceled, a critical alert; the others proceed. '
'Takes the security''s advisory lock (market.security_lock_key) exclusively first, so an order or tick of it in '
'flight finishes before and is split, and one placed meanwhile waits. '
'Returns how many positions changed. 22023 bad ratio or date, P0002 unknown symbol, TB064 applied twice.';
