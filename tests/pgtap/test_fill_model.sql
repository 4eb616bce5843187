-- The §5 fill model as pure functions, against hand-computed prices: each order type on ticks and
-- bars, gaps through limits and stops, slippage, volume participation and reservations.
begin;
select plan(33);

create function pg_temp.px(
    p_side text, p_type text, p_limit numeric, p_stop numeric, p_triggered boolean,
    p_open numeric, p_high numeric, p_low numeric, p_ref numeric default null, p_bps numeric default 0
) returns numeric language sql as $f$
    select trading.fill_price(p_side, p_type, p_limit, p_stop, p_triggered, p_open, p_high, p_low,
        coalesce(p_ref, p_open), p_bps)
$f$;

-- market: the reference price moved against the trader by slippage
select is(pg_temp.px('buy', 'market', null, null, false, 100, 100, 100, 100, 10), 100.10000000, 'market buy: ref + 10 bps');
select is(pg_temp.px('sell', 'market', null, null, false, 100, 100, 100, 100, 10), 99.90000000, 'market sell: ref - 10 bps');
select is(pg_temp.px('buy', 'market', null, null, false, 100, 100, 100, 101.25, 0), 101.25000000, 'market buy at the ask without slippage');
select is(pg_temp.px('buy', 'market', null, null, false, 100, 100, 100, 33.333333, 15), 33.38333300, 'slippage rounds to 8 decimals');

-- limit
select is(pg_temp.px('buy', 'limit', 95, null, false, 100, 101, 94), 95::numeric, 'buy limit touched in the bar fills at the limit');
select is(pg_temp.px('buy', 'limit', 95, null, false, 93, 96, 92), 93::numeric, 'buy limit gapped through fills at the open');
select is(pg_temp.px('buy', 'limit', 95, null, false, 100, 101, 96), null, 'buy limit above the low does not fill');
select is(pg_temp.px('sell', 'limit', 105, null, false, 100, 106, 99), 105::numeric, 'sell limit touched fills at the limit');
select is(pg_temp.px('sell', 'limit', 105, null, false, 107, 108, 106), 107::numeric, 'sell limit gapped through fills at the open');
select is(pg_temp.px('sell', 'limit', 105, null, false, 100, 104, 99), null, 'sell limit below the high does not fill');
select is(pg_temp.px('buy', 'limit', 95, null, false, 95, 95, 95), 95::numeric, 'a tick at the limit fills (tick = flat bar)');

-- stop: triggers on the stop, fills at the stop (or the open past it) with slippage
select is(pg_temp.px('buy', 'stop', null, 105, false, 100, 106, 99, null, 10), 105.10500000, 'buy stop fills at the stop + slippage');
select is(pg_temp.px('buy', 'stop', null, 105, false, 108, 110, 107, null, 10), 108.10800000, 'buy stop gapped through fills at the open + slippage');
select is(pg_temp.px('buy', 'stop', null, 105, false, 100, 104, 99, null, 10), null, 'buy stop not reached does not fill');
select is(pg_temp.px('sell', 'stop', null, 95, false, 100, 100, 94, null, 10), 94.90500000, 'sell stop fills at the stop - slippage');
select is(pg_temp.px('sell', 'stop', null, 95, false, 90, 91, 89, null, 10), 89.91000000, 'sell stop gapped through fills at the open - slippage');
select is(pg_temp.px('sell', 'stop', null, 95, false, 100, 100, 96), null, 'sell stop not reached does not fill');
select is(pg_temp.px('buy', 'stop', null, 105, true, 101, 102, 100, null, 10), 101.10100000,
    'a stop triggered on an earlier bar fills at this bar''s open');

-- stop_limit: a limit from the trigger on
select is(pg_temp.px('buy', 'stop_limit', 101, 100, false, 95, 102, 94), 100::numeric,
    'buy stop_limit triggered in the bar fills at the stop (below the limit)');
select is(pg_temp.px('buy', 'stop_limit', 101, 100, false, 103, 104, 102), null,
    'buy stop_limit gapped above its limit triggers but does not fill');
select is(pg_temp.px('buy', 'stop_limit', 101, 100, false, 103, 104, 100), 101::numeric,
    'buy stop_limit gapped above its limit fills at the limit when the bar comes back');
select is(pg_temp.px('buy', 'stop_limit', 101, 100, true, 100.5, 102, 100), 100.5::numeric,
    'a triggered stop_limit is a plain limit: the open below the limit');
select is(pg_temp.px('sell', 'stop_limit', 94, 95, false, 100, 100, 93), 95::numeric,
    'sell stop_limit triggered in the bar fills at the stop');
select is(pg_temp.px('sell', 'stop_limit', 94, 95, false, 92, 93, 90), null,
    'sell stop_limit gapped below its limit does not fill');
select is(pg_temp.px('sell', 'stop_limit', 94, 95, false, 100, 101, 96), null, 'sell stop_limit not triggered does not fill');

-- volume participation
select is(trading.fill_quantity(100, null, 0.1, true), 100::numeric, 'no volume known: everything fills');
select is(trading.fill_quantity(100, 500, null, true), 100::numeric, 'no participation limit: everything fills');
select is(trading.fill_quantity(100, 500, 0.1, true), 50.0::numeric, '10 percent of 500 is 50');
select is(trading.fill_quantity(100, 2000, 0.1, true), 100::numeric, 'never more than what remains');
select is(trading.fill_quantity(100, 55, 0.1, false), 5::numeric, 'whole units for non-fractionable securities');
select is(trading.fill_quantity(100, 55, 0.1, true), 5.5::numeric, 'fractional units where allowed');

-- reservations: price x remaining x fx x (1 + rate) + the per-order fee
select is(trading.order_reservation('limit', 95, null, 100, 10, 10, 1, 0.001, 1), 951.95000000::numeric,
    'a limit buy reserves limit x quantity + fees');
select is(trading.order_reservation('stop', null, 105, 100, 10, 10, 1.1, 0, 0), 1156.15500000::numeric,
    'a stop reserves stop + slippage, converted at the FX rate');

select * from finish();
rollback;
