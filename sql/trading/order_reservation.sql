-- Buying power an open order holds (§5): price x remaining quantity + fees, in account currency.
-- No set search_path: a SET clause keeps the planner from inlining a SQL function, and the order path
-- calls this on every order (inlined it costs nothing; called, it is planned anew each time). Every name
-- in the body is schema-qualified, and it is not security definer.
create or replace function trading.order_reservation(
    p_order_type text,
    p_limit_price numeric,
    p_stop_price numeric,
    p_reference numeric,
    p_slippage_bps numeric,
    p_remaining numeric,
    p_fx_rate numeric,
    p_commission_rate numeric,
    p_fixed_commission numeric
)
returns numeric
language sql
immutable
parallel safe
as $$
    select pg_catalog.round(
        case p_order_type
            when 'limit' then p_limit_price
            when 'stop_limit' then p_limit_price
            when 'stop' then p_stop_price * (1 + coalesce(p_slippage_bps, 0) / 10000)
            else p_reference * (1 + coalesce(p_slippage_bps, 0) / 10000)
        end * p_remaining * p_fx_rate * (1 + coalesce(p_commission_rate, 0)),
        8
    ) + coalesce(p_fixed_commission, 0)
$$;

comment on function trading.order_reservation(text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric) is
'Cash an open buy (or short sale) holds back: the limit price (limit, stop_limit), the stop price plus slippage '
'(stop) or the reference price plus slippage (market), times the remaining quantity and FX rate, plus the '
'commission rate on that, plus the per-order commission while nothing has filled.';
