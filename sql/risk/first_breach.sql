-- The pre-trade risk rules of §5, evaluated for an order about to be placed; the first active rule
-- (of the account, or of the user for all accounts) that the order breaks, or no row.
-- Rules that limit exposure or losses let orders that reduce a position through.
-- depends: risk/account_equity.sql
create or replace function risk.first_breach(
    p_account_id uuid,
    p_user_id uuid,
    p_signed_quantity numeric,
    p_position_quantity numeric,
    p_unit_price numeric,
    p_reservation numeric,
    p_at timestamptz
)
returns table (rule_id uuid, rule_type text, threshold numeric, observed numeric, message text)
language plpgsql
stable
set search_path = ''
as $$
declare
    v_rule risk.rules;
    v_account trading.accounts;
    v_opening boolean := pg_catalog.abs(p_position_quantity + p_signed_quantity) > pg_catalog.abs(p_position_quantity);
    v_day timestamptz := pg_catalog.date_trunc('day', p_at, 'UTC');
    v_observed numeric;
    v_breached boolean;
begin
    for v_rule in
        select * from risk.rules as r
        where r.user_id = p_user_id and r.is_active and (r.account_id is null or r.account_id = p_account_id)
        order by r.created_at, r.id
    loop
        if v_account.id is null then
            select * into strict v_account from trading.accounts as a where a.id = p_account_id;
        end if;
        v_observed := null;
        case v_rule.rule_type
            when 'MAX_ORDER_NOTIONAL' then
                v_observed := pg_catalog.round(pg_catalog.abs(p_signed_quantity) * p_unit_price, 8);
            when 'MAX_ORDERS_PER_DAY' then
                v_observed := 1 + (
                    select pg_catalog.count(*) from trading.orders as o
                    where o.account_id = p_account_id and o.created_at >= v_day and o.status <> 'rejected'
                );
            when 'MAX_POSITION_SIZE' then
                if v_opening then
                    v_observed := pg_catalog.abs(p_position_quantity + p_signed_quantity);
                end if;
            when 'MAX_POSITION_PCT' then
                if v_opening then
                    v_observed := pg_catalog.round(
                        pg_catalog.abs(p_position_quantity + p_signed_quantity) * p_unit_price
                        / nullif(risk.account_equity(p_account_id), 0), 8
                    );
                end if;
            when 'MAX_DAILY_LOSS' then
                if v_opening then
                    v_observed := -coalesce((
                        select pg_catalog.sum(c.realized_pnl) from trading.lot_closures as c
                        where c.account_id = p_account_id and c.closed_at >= v_day
                    ), 0);
                end if;
            when 'MIN_CAPITAL_THRESHOLD' then
                if v_opening then
                    v_observed := v_account.cash - v_account.reserved_cash - p_reservation;
                end if;
            when 'MAX_DRAWDOWN' then
                if v_opening and v_account.initial_balance > 0 then
                    v_observed := pg_catalog.round(1 - risk.account_equity(p_account_id) / v_account.initial_balance, 8);
                end if;
        end case;
        v_breached := case v_rule.rule_type
            when 'MIN_CAPITAL_THRESHOLD' then v_observed < v_rule.threshold
            when 'MAX_DAILY_LOSS' then v_observed >= v_rule.threshold
            else v_observed > v_rule.threshold
        end;
        if v_breached then
            return query select
                v_rule.id, v_rule.rule_type, v_rule.threshold::numeric, v_observed,
                pg_catalog.format(
                    'risk rule %s: %s against a limit of %s', v_rule.rule_type, v_observed, v_rule.threshold
                );
            return;
        end if;
    end loop;
end
$$;

comment on function risk.first_breach(uuid, uuid, numeric, numeric, numeric, numeric, timestamptz) is
'The first active risk rule an order would break, with the value it observed: MAX_ORDER_NOTIONAL (quantity x '
'price), MAX_ORDERS_PER_DAY (orders today incl. this one), MAX_POSITION_SIZE and MAX_POSITION_PCT (resulting '
'position, units or fraction of equity), MAX_DAILY_LOSS (realized loss today), MIN_CAPITAL_THRESHOLD (cash left '
'unreserved), MAX_DRAWDOWN (fall of equity below the initial balance). Exposure and loss rules skip orders that '
'reduce a position.';
