-- The sequential part of every backtest (DESIGN §5, backtesting.py's execution model), walked over the
-- strategy's decisions, not over its bars: p_bars[k] is the bar whose close decided p_targets[k] (1 long,
-- -1 short, 0 flat), in bar order; p_opens[j + 1] is the open of bar j (bars numbered from 0).
-- - A decision at bar i fills at bar i + 1's open; none after the last bar.
-- - A target equal to the open trade's direction changes nothing, unless p_reverse (SmaCross long_short:
--   every crossing closes the open trade and opens one in its direction, as backtesting.py's
--   position.close(); buy()/sell() does); otherwise the open trade is closed, then one opened if the
--   target is not 0.
-- - Size = floor(cash / (open × (1 + p_commission))) whole units, cash being the equity after the close;
--   below one unit nothing opens. Commission = |size| × price × p_commission at entry and at exit.
-- Out: one row per trade in order, the one still open after the last bar with its exit columns null;
-- entry_cash and exit_cash are the cash after the entry and after the exit, from which the equity curve
-- follows bar by bar (strategy.run_backtest). A parameter sweep calls this once per combination with
-- that combination's decisions over the same p_opens.
create or replace function strategy.simulate(
    p_opens numeric[],
    p_bars integer[],
    p_targets integer[],
    p_reverse boolean,
    p_capital numeric,
    p_commission numeric
)
returns table (
    trade_no integer,
    size numeric,
    entry_bar integer,
    entry_price numeric,
    entry_cash numeric,
    exit_bar integer,
    exit_price numeric,
    exit_cash numeric,
    pnl numeric,
    commission numeric
)
language plpgsql
immutable
set search_path = ''
as $$
declare
    v_last_bar integer := coalesce(pg_catalog.cardinality(p_opens), 0) - 1;
    v_cash numeric := p_capital;
    v_size numeric := 0;
    v_entry_bar integer;
    v_entry_price numeric;
    v_entry_commission numeric;
    v_entry_cash numeric;
    v_trades integer := 0;
    v_k integer;
    v_fill_bar integer;
    v_open numeric;
    v_target integer;
    v_current integer;
    v_exit_commission numeric;
    v_units numeric;
begin
    for v_k in 1 .. coalesce(pg_catalog.cardinality(p_bars), 0) loop
        v_fill_bar := p_bars[v_k] + 1;
        exit when v_fill_bar > v_last_bar;
        v_target := p_targets[v_k];
        v_current := pg_catalog.sign(v_size)::integer;
        continue when v_target = v_current and not (p_reverse and v_target <> 0);
        v_open := p_opens[v_fill_bar + 1];
        if v_size <> 0 then
            v_exit_commission := pg_catalog.abs(v_size) * v_open * p_commission;
            v_cash := v_cash + v_size * (v_open - v_entry_price) - v_exit_commission;
            v_trades := v_trades + 1;
            trade_no := v_trades;
            size := v_size;
            entry_bar := v_entry_bar;
            entry_price := v_entry_price;
            entry_cash := v_entry_cash;
            exit_bar := v_fill_bar;
            exit_price := v_open;
            exit_cash := v_cash;
            pnl := v_size * (v_open - v_entry_price) - v_entry_commission - v_exit_commission;
            commission := v_entry_commission + v_exit_commission;
            return next;
            v_size := 0;
        end if;
        if v_target <> 0 then
            v_units := pg_catalog.floor(v_cash / (v_open * (1 + p_commission)));
            if v_units >= 1 then
                v_size := v_target * v_units;
                v_entry_bar := v_fill_bar;
                v_entry_price := v_open;
                v_entry_commission := v_units * v_open * p_commission;
                v_cash := v_cash - v_entry_commission;
                v_entry_cash := v_cash;
            end if;
        end if;
    end loop;
    if v_size <> 0 then
        trade_no := v_trades + 1;
        size := v_size;
        entry_bar := v_entry_bar;
        entry_price := v_entry_price;
        entry_cash := v_entry_cash;
        exit_bar := null;
        exit_price := null;
        exit_cash := null;
        pnl := null;
        commission := v_entry_commission;
        return next;
    end if;
end
$$;

comment on function strategy.simulate(numeric[], integer[], integer[], boolean, numeric, numeric) is
'The trades of a backtest from its decisions (bar, target 1/-1/0) and the bars'' opens, with DESIGN §5''s fills '
'(next open, whole units sized on cash, commission at entry and exit, reversal with p_reverse); the last row is '
'the trade still open, if any, with its exit null.';
