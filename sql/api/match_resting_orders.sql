-- After a bulk bar import: replays every bar newer than what each resting order has seen, in time
-- order, through the same matching as api.record_price.
create or replace function api.match_resting_orders(p_symbol text default null, p_timeframe text default '1d')
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_security_id uuid;
    v_bar record;
    v_isolate boolean;
    v_filled integer := 0;
begin
    perform app.require_admin('match resting orders');
    if p_timeframe is null or p_timeframe not in ('1m', '5m', '15m', '1h', '1d', '1w', '1mo') then
        perform app.raise_error('22023', pg_catalog.format('timeframe %s is unknown', p_timeframe));
    end if;
    if p_symbol is not null then
        perform market.security(p_symbol);
    end if;

    -- Every account that may fill is locked up front in ascending id order: the per-bar matching
    -- below then only re-locks rows this transaction holds.
    perform from trading.accounts as a
    where a.id in (
        select o.account_id from trading.orders as o
        inner join market.securities as s on o.security_id = s.id
        where
            o.status in ('new', 'partially_filled')
            and (p_symbol is null or s.symbol = pg_catalog.upper(p_symbol))
    )
    order by a.id
    for update;

    -- One order's data never fails the replay for everyone (as in trading.match_resting_orders): the
    -- whole replay runs in one subtransaction, and after a data exception or check violation again with
    -- one subtransaction per order, which sets the failing orders aside.
    foreach v_isolate in array array[false, true] loop
        begin
            v_filled := 0;
            for v_security_id in
                select distinct o.security_id from trading.orders as o
                inner join market.securities as s on o.security_id = s.id
                where
                    o.status in ('new', 'partially_filled')
                    and (p_symbol is null or s.symbol = pg_catalog.upper(p_symbol))
            loop
                for v_bar in
                    select d.ts, d.open, d.high, d.low, d.close, d.volume, d.bid, d.ask
                    from market.market_data as d
                    where
                        d.security_id = v_security_id and d.timeframe = p_timeframe
                        and d.ts > (
                            select pg_catalog.min(o.last_matched_at) from trading.orders as o
                            where o.security_id = v_security_id and o.status in ('new', 'partially_filled')
                        )
                    order by d.ts
                loop
                    v_filled := v_filled + trading.match_resting_orders(
                        v_security_id, v_bar.open, v_bar.high, v_bar.low, v_bar.open, v_bar.bid, v_bar.ask,
                        v_bar.volume, v_bar.ts, v_isolate
                    );
                end loop;
            end loop;
            exit;
        exception when data_exception or check_violation then
            -- The second pass catches these per order; one here means setting an order aside failed.
            if v_isolate then
                raise;
            end if;
        end;
    end loop;
    if v_filled > 0 then
        perform notify.wake_worker();
    end if;
    return v_filled;
end
$$;

comment on function api.match_resting_orders(text, text) is
'Admin, after a bulk bar import: matches the resting orders of p_symbol (or of every symbol) against each '
'p_timeframe bar newer than the last price they saw, oldest first (a resting market order fills at a bar''s open); '
'an order whose data fails (a data exception or check violation) is set aside (canceled with the reason, an '
'alert) and the others proceed. Announces the queued fill events. Returns how many order fills happened. 42501 for non-admins, 22023 unknown timeframe, P0002 unknown symbol.';
