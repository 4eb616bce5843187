-- The sequential part of every backtest (DESIGN §5, backtesting.py's execution model), walked over the
-- strategy's decisions, not over its bars: p_bars[k] is the bar whose close decided p_targets[k] (1 long,
-- -1 short, 0 flat), in bar order, and p_fill_ats[k], p_fill_opens[k] the start and open of the bar after it
-- (null after the last bar), where it fills.
-- - A decision at bar i fills at bar i + 1's open; none after the last bar.
-- - A target equal to the open trade's direction changes nothing, unless p_reverse (SmaCross long_short:
--   every crossing closes the open trade and opens one in its direction, as backtesting.py's
--   position.close(); buy()/sell() does); otherwise the open trade is closed, then one opened if the
--   target is not 0.
-- - Size = floor(cash / (open × (1 + p_commission))) whole units, cash being the equity after the close;
--   below one unit nothing opens. Commission = |size| × price × p_commission at entry and at exit.
-- Out: one row per trade in order, the one still open after the last bar with its exit columns null;
-- entry_cash and exit_cash are the cash after the entry and after the exit, from which the equity curve
-- follows bar by bar (strategy.run_backtest). A parameter sweep calls this once per combination.
drop function if exists strategy.simulate(numeric[], integer[], integer[], boolean, numeric, numeric);
create or replace function strategy.simulate(
    p_bars integer[],
    p_targets integer[],
    p_fill_ats timestamptz[],
    p_fill_opens numeric[],
    p_reverse boolean,
    p_capital numeric,
    p_commission numeric
)
returns setof strategy.simulated_trade
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_trade strategy.simulated_trade;
    v_cash numeric := p_capital;
    v_size numeric := 0;
    v_entry_bar integer;
    v_entry_at timestamptz;
    v_entry_price numeric;
    v_entry_commission numeric;
    v_entry_cash numeric;
    v_trades integer := 0;
    v_fill_bar integer;
    v_open numeric;
    v_target integer;
    v_current integer;
    v_exit_commission numeric;
    v_units numeric;
begin
    for v_k in 1 .. coalesce(pg_catalog.cardinality(p_bars), 0) loop
        v_open := p_fill_opens[v_k];
        exit when v_open is null;
        v_fill_bar := p_bars[v_k] + 1;
        v_target := p_targets[v_k];
        v_current := pg_catalog.sign(v_size)::integer;
        continue when v_target = v_current and not (p_reverse and v_target <> 0);
        if v_size <> 0 then
            v_exit_commission := pg_catalog.abs(v_size) * v_open * p_commission;
            v_cash := v_cash + v_size * (v_open - v_entry_price) - v_exit_commission;
            v_trades := v_trades + 1;
            v_trade := row(v_trades, v_size, v_entry_bar, v_entry_at, v_entry_price, v_entry_cash, v_fill_bar,
                p_fill_ats[v_k], v_open, v_cash, v_size * (v_open - v_entry_price) - v_entry_commission
                - v_exit_commission, v_entry_commission + v_exit_commission);
            return next v_trade;
            v_size := 0;
        end if;
        if v_target <> 0 then
            v_units := pg_catalog.floor(v_cash / (v_open * (1 + p_commission)));
            if v_units >= 1 then
                v_size := v_target * v_units;
                v_entry_bar := v_fill_bar;
                v_entry_at := p_fill_ats[v_k];
                v_entry_price := v_open;
                v_entry_commission := v_units * v_open * p_commission;
                v_cash := v_cash - v_entry_commission;
                v_entry_cash := v_cash;
            end if;
        end if;
    end loop;
    if v_size <> 0 then
        v_trade := row(v_trades + 1, v_size, v_entry_bar, v_entry_at, v_entry_price, v_entry_cash, null, null, null,
            null, null, v_entry_commission);
        return next v_trade;
    end if;
end
$$;

comment on function strategy.simulate(integer[], integer[], timestamptz[], numeric[], boolean, numeric, numeric) is
'The trades of a backtest from its decisions (bar, target 1/-1/0, the next bar''s start and open), with DESIGN §5''s fills '
'(next open, whole units sized on cash, commission at entry and exit, reversal with p_reverse); the last row is '
'the trade still open, if any, with its exit null.';
