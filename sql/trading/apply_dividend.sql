-- A cash dividend (§5): holders of record at the start of the ex-date receive per_share x units
-- (shorts pay it), through one journal per account (trading.pay_dividend).
-- depends: trading/dividend_holders.sql trading/pay_dividend.sql trading/set_aside.sql
create or replace function trading.apply_dividend(
    p_symbol text,
    p_per_share numeric,
    p_ex_date date,
    p_pay_date date
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_security market.securities;
    v_action_id uuid;
    v_holder record;
    v_isolate boolean;
    v_state text;
    v_message text;
    v_paid integer := 0;
begin
    -- A price's limits (docs/trading.md, "Limits"): units x per share stays within a position's value.
    perform trading.positive_price(p_per_share, 'p_per_share');
    if p_ex_date is null or p_pay_date is null or not pg_catalog.isfinite(p_ex_date)
        or not pg_catalog.isfinite(p_pay_date) or p_pay_date < p_ex_date then
        perform app.raise_error(
            '22023', pg_catalog.format('ex-date %s and pay date %s are not in order', p_ex_date, p_pay_date)
        );
    end if;
    v_security := market.security(p_symbol);
    v_action_id := trading.record_corporate_action(
        v_security, 'dividend', p_ex_date, p_per_share => p_per_share, p_pay_date => p_pay_date
    );

    -- Holders of record are locked first, in ascending id order, outside the subtransactions below.
    perform from trading.accounts as a
    where a.id in (select h.account_id from trading.dividend_holders(v_security.id, p_ex_date) as h)
    order by a.id
    for update;

    -- One holder's data never fails the dividend for the others (§5): all holders in one subtransaction
    -- and, after a data exception (22xxx), a check violation (23514) or a charge a short cannot pay
    -- (TB040), again with one subtransaction per holder; a holder that fails there is set aside (not paid
    -- or charged, a critical alert naming the error).
    foreach v_isolate in array array[false, true] loop
        begin
            v_paid := 0;
            for v_holder in
                select h.account_id, a.base_currency, h.quantity
                from trading.dividend_holders(v_security.id, p_ex_date) as h
                inner join trading.accounts as a on h.account_id = a.id
                order by a.id
            loop
                if not v_isolate then
                    v_paid := v_paid + trading.pay_dividend(
                        v_action_id, v_security, v_holder.account_id, v_holder.base_currency, v_holder.quantity,
                        p_per_share, p_ex_date
                    );
                    continue;
                end if;
                begin
                    v_paid := v_paid + trading.pay_dividend(
                        v_action_id, v_security, v_holder.account_id, v_holder.base_currency, v_holder.quantity,
                        p_per_share, p_ex_date
                    );
                exception when data_exception or check_violation or sqlstate 'TB040' then
                    get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
                    perform trading.set_aside(
                        pg_catalog.format(
                            'the %s dividend of %s per share (ex %s): %s units of record were not paid or charged',
                            v_security.symbol, p_per_share, p_ex_date, v_holder.quantity
                        ),
                        v_holder.account_id, null, v_state, v_message
                    );
                end;
            end loop;
            exit;
        exception when data_exception or check_violation or sqlstate 'TB040' then
            -- The second pass catches these per holder; one here means setting a holder aside failed.
            if v_isolate then
                raise;
            end if;
        end;
    end loop;
    return v_paid;
end
$$;

comment on function trading.apply_dividend(text, numeric, date, date) is
'Pays p_per_share x units to every account holding p_symbol at the start of p_ex_date (shorts are charged), '
'in account currency, one journal each; returns how many accounts it paid. A holder whose data fails (a data '
'exception, a check violation, or TB040 when a short cannot pay) is set aside with a critical alert and the '
'others are paid. 22023 bad amount or '
'dates, P0002 unknown symbol, TB064 applied twice.';
