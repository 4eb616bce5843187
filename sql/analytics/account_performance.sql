-- One account's performance over a window (issue 15 §3, the seeds' account_analytics and
-- calculate_account_metrics; docs/analytics.md "Account performance"). Nothing here recomputes a
-- formula that exists elsewhere:
-- - returns: analytics.account_returns (time-weighted, flows at the start of the day, and XIRR) over
--   each window ending at as_of: day (as_of), week (7 days), month, quarter, year (calendar months back
--   from as_of, the day after), life (from the first snapshot); a window longer than the history
--   covers the history;
-- - statistics of the chosen window (volatility, Sharpe, Sortino, max drawdown, alpha, beta,
--   correlation, the benchmark's return): analytics.return_metrics of the window's flow-adjusted daily
--   returns (analytics.account_daily_returns; days without a return are left out), 365 periods a year
--   (snapshots are calendar days); benchmark figures over the days the benchmark has a return too
--   (analytics.benchmark_daily_returns, aligned by date). Current drawdown, which return_metrics does
--   not give: the last wealth over its running peak (the start included), less 1;
-- - trades: a closed trade is a fill that closed lots (trading.lot_closures with that fill_id; cash in
--   lieu and resets close lots without a fill and are no trade), its P&L the sum of its closures'
--   realized P&L, counted in the window by the fill's filled_at: a win above 0, a loss below 0 (a trade
--   at exactly 0 counts in trades only); profit factor = gross wins / gross losses, NULL without losses;
-- - holdings, of the account now: each open position at its newest price (market.latest_price: the
--   quote, else the last 1d close) in the account's currency, at cost where no price or FX rate is
--   known (as risk.account_equity values them); weights |value| / Σ|value|; diversity 1 - Σ w².
-- as_of is the last snapshot at or before p_as_of (default: the last one). The account's life starts on
-- the day it was opened (created_at, UTC): snapshots of earlier days (a replay of days before it
-- existed) hold nothing and are left out.
-- Security definer: analysts read analytics only, not the accounts, snapshots and fills behind it.
-- depends: analytics/account_returns.sql analytics/account_daily_returns.sql analytics/return_metrics.sql
-- depends: analytics/benchmark_daily_returns.sql
create or replace function analytics.account_performance(
    p_account_id uuid,
    p_window text default 'life',
    p_as_of date default null
)
returns table (
    account_id uuid,
    as_of date,
    period text,
    first_day date,
    last_day date,
    equity numeric,
    return_day double precision,
    return_week double precision,
    return_month double precision,
    return_quarter double precision,
    return_year double precision,
    return_life double precision,
    money_weighted_return double precision,
    observations integer,
    volatility double precision,
    sharpe_ratio double precision,
    sortino_ratio double precision,
    max_drawdown double precision,
    current_drawdown double precision,
    trades integer,
    winning_trades integer,
    losing_trades integer,
    win_rate double precision,
    avg_win numeric,
    avg_loss numeric,
    gross_profit numeric,
    gross_loss numeric,
    profit_factor double precision,
    active_positions integer,
    largest_position_symbol text,
    largest_position_value numeric,
    largest_position_weight double precision,
    diversity double precision,
    cash_share double precision,
    benchmark_symbol text,
    benchmark_return double precision,
    alpha double precision,
    beta double precision,
    correlation double precision,
    reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    c_periods constant integer := 365;
    v_account trading.accounts;
    v_first date;
    v_window record;
    v_window_start date;
    v_twr double precision;
    v_mwr double precision;
    v_first_day date;
    v_last_day date;
    v_why text;
    v_reasons text [] := '{}';
    v_benchmark market.benchmarks;
    v_r double precision [];
    v_rp double precision [];
    v_bp double precision [];
    v_metrics analytics.return_metrics_row;
    v_paired analytics.return_metrics_row;
    v_positions_value numeric;
begin
    if p_account_id is null then
        perform app.raise_error('22023', 'p_account_id must not be null', null);
    elsif p_window is null or p_window not in ('day', 'week', 'month', 'quarter', 'year', 'life') then
        perform app.raise_error('22023', pg_catalog.format('window %s is not day, week, month, quarter, year or life',
            app.quote_input(p_window)), 'Pass day, week, month, quarter, year or life.');
    elsif not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', 'p_as_of must be a date', 'Omit it for the last snapshot.');
    end if;
    select * into v_account from trading.accounts as a where a.id = p_account_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('account %s does not exist', p_account_id), null);
    elsif v_account.kind = 'system' then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_account_id),
            'Performance is measured on user accounts.');
    end if;
    account_id := p_account_id;
    period := p_window;

    -- Holdings now (they need no snapshot), in one pass: each position's weight is its share of the gross
    -- value; without a gross value there is no largest position and no diversity.
    with valued as (
        select
            s.symbol,
            coalesce(
                pg_catalog.round(
                    p.quantity * market.latest_price(s.symbol, 'infinity', '1d')
                    * market.settlement_rate(s.currency, v_account.base_currency, pg_catalog.now()), 8
                ),
                p.cost_basis
            ) as value
        from trading.positions as p
        inner join market.securities as s on p.security_id = s.id
        where p.account_id = p_account_id and p.quantity <> 0
    ),

    weighted as (
        select
            v.symbol,
            v.value,
            pg_catalog.abs(v.value) / nullif(pg_catalog.sum(pg_catalog.abs(v.value)) over (), 0) as weight
        from valued as v
    )

    select
        pg_catalog.count(*)::integer,
        coalesce(pg_catalog.sum(w.value), 0),
        (pg_catalog.array_agg(w.symbol order by w.weight desc, w.symbol) filter (where w.weight is not null))[1],
        (pg_catalog.array_agg(w.value order by w.weight desc, w.symbol) filter (where w.weight is not null))[1],
        pg_catalog.max(w.weight)::double precision,
        (1 - pg_catalog.sum(w.weight ^ 2))::double precision
    into
        active_positions, v_positions_value, largest_position_symbol, largest_position_value,
        largest_position_weight, diversity
    from weighted as w;
    if v_account.cash + v_positions_value > 0 then
        cash_share := (v_account.cash / (v_account.cash + v_positions_value))::double precision;
    end if;

    select pg_catalog.max(s.snapshot_date), pg_catalog.min(s.snapshot_date)
    into as_of, v_first
    from trading.account_snapshots as s
    where
        s.account_id = p_account_id and (p_as_of is null or s.snapshot_date <= p_as_of)
        and s.snapshot_date >= (v_account.created_at at time zone 'UTC')::date;
    if as_of is null then
        reason := pg_catalog.format('account %s has no snapshot%s', p_account_id, ' up to ' || p_as_of);
        return next;
        return;
    end if;
    select s.equity into equity
    from trading.account_snapshots as s
    where s.account_id = p_account_id and s.snapshot_date = as_of;

    -- The time-weighted return of each window (and the chosen one's days and money-weighted return).
    for v_window in
        select w.name, w.start
        from (
            values
            ('day', as_of),
            ('week', as_of - 6),
            ('month', (as_of - interval '1 month')::date + 1),
            ('quarter', (as_of - interval '3 months')::date + 1),
            ('year', (as_of - interval '1 year')::date + 1),
            ('life', v_first)
        ) as w (name, start)
    loop
        select r.time_weighted_return, r.money_weighted_return, r.first_day, r.last_day, r.reason
        into v_twr, v_mwr, v_first_day, v_last_day, v_why
        from analytics.account_returns(p_account_id, greatest(v_window.start, v_first), as_of) as r;
        case v_window.name
            when 'day' then return_day := v_twr;
            when 'week' then return_week := v_twr;
            when 'month' then return_month := v_twr;
            when 'quarter' then return_quarter := v_twr;
            when 'year' then return_year := v_twr;
            else return_life := v_twr;
        end case;
        if v_window.name = p_window then
            v_window_start := v_window.start;
            first_day := v_first_day;
            last_day := v_last_day;
            money_weighted_return := v_mwr;
            if v_why is not null then
                v_reasons := v_reasons || v_why;
            end if;
        end if;
    end loop;

    -- Trades closed in the window (from its first day; life: all).
    select
        pg_catalog.count(*)::integer,
        (pg_catalog.count(*) filter (where t.pnl > 0))::integer,
        (pg_catalog.count(*) filter (where t.pnl < 0))::integer,
        pg_catalog.round(pg_catalog.avg(t.pnl) filter (where t.pnl > 0), 8),
        pg_catalog.round(pg_catalog.avg(t.pnl) filter (where t.pnl < 0), 8),
        coalesce(pg_catalog.sum(t.pnl) filter (where t.pnl > 0), 0),
        coalesce(-pg_catalog.sum(t.pnl) filter (where t.pnl < 0), 0)
    into trades, winning_trades, losing_trades, avg_win, avg_loss, gross_profit, gross_loss
    from (
        select c.fill_id, pg_catalog.sum(c.realized_pnl) as pnl
        from trading.lot_closures as c
        inner join trading.fills as f on c.fill_id = f.id
        where
            c.account_id = p_account_id
            and f.filled_at < ((as_of + 1)::timestamp at time zone 'UTC')
            and (p_window = 'life' or f.filled_at >= (v_window_start::timestamp at time zone 'UTC'))
        group by c.fill_id
    ) as t;
    if trades > 0 then
        win_rate := winning_trades::double precision / trades;
    end if;
    if gross_loss > 0 then
        profit_factor := (gross_profit / gross_loss)::double precision;
    end if;

    -- The benchmark: the account's, else the platform default.
    select b.* into v_benchmark
    from market.benchmarks as b
    where b.id = coalesce(v_account.benchmark_id, (select d.id from market.benchmarks as d where d.is_default));
    benchmark_symbol := v_benchmark.symbol;
    if v_benchmark.id is null then
        v_reasons := v_reasons || 'no benchmark (the account has none and there is no platform default)'::text;
    end if;

    if first_day is not null then
        select
            pg_catalog.array_agg(d.daily_return order by d.snapshot_date) filter (where d.daily_return is not null),
            pg_catalog.array_agg(d.daily_return order by d.snapshot_date)
                filter (where d.daily_return is not null and b.daily_return is not null),
            pg_catalog.array_agg(b.daily_return order by d.snapshot_date)
                filter (where d.daily_return is not null and b.daily_return is not null)
        into v_r, v_rp, v_bp
        from analytics.account_daily_returns(p_account_id, first_day, last_day) as d
        left join analytics.benchmark_daily_returns(v_benchmark.id, first_day, last_day) as b
            on d.snapshot_date = b.return_date;
        -- A return outside what return_metrics takes (above 1e9: a day that started from almost nothing)
        -- leaves the statistics NULL with its message, so one account never fails the analysts' view.
        begin
            v_metrics := analytics.return_metrics(v_r, null, c_periods);
            observations := v_metrics.observations;
            volatility := v_metrics.annual_volatility;
            sharpe_ratio := v_metrics.sharpe_ratio;
            sortino_ratio := v_metrics.sortino_ratio;
            max_drawdown := v_metrics.max_drawdown;
            if v_metrics.worst_period <= -1 then
                current_drawdown := -1;
            elsif observations > 0 then
                select pg_catalog.exp((pg_catalog.array_agg(w.lw order by w.n desc))[1] - greatest(0, pg_catalog.max(w.lw))) - 1
                into current_drawdown
                from (
                    select u.n, pg_catalog.sum(pg_catalog.ln(1 + u.r)) over (order by u.n) as lw
                    from pg_catalog.unnest(v_r) with ordinality as u (r, n)
                ) as w;
            end if;
            if v_bp is not null then
                v_paired := analytics.return_metrics(v_rp, v_bp, c_periods);
                alpha := v_paired.alpha;
                beta := v_paired.beta;
                correlation := v_paired.correlation;
                benchmark_return := (analytics.return_metrics(v_bp, null, c_periods)).cumulative_return;
            end if;
            if v_benchmark.id is not null and coalesce(pg_catalog.cardinality(v_bp), 0) < coalesce(pg_catalog.cardinality(v_r), 0) then
                v_reasons := v_reasons || pg_catalog.format(
                    'the benchmark %s has a daily return for %s of the %s days: its figures cover those',
                    v_benchmark.symbol, coalesce(pg_catalog.cardinality(v_bp), 0), coalesce(pg_catalog.cardinality(v_r), 0)
                );
            end if;
        exception when data_exception then
            get stacked diagnostics v_why = message_text;
            observations := null;
            volatility := null;
            sharpe_ratio := null;
            sortino_ratio := null;
            max_drawdown := null;
            current_drawdown := null;
            alpha := null;
            beta := null;
            correlation := null;
            benchmark_return := null;
            v_reasons := v_reasons || ('no statistics: ' || v_why);
        end;
    end if;
    reason := nullif(pg_catalog.array_to_string(v_reasons, '; '), '');
    return next;
end
$$;

comment on function analytics.account_performance(uuid, text, date) is
'Performance of p_account_id as of its last snapshot at or before p_as_of (default the last): time-weighted returns '
'over the day, week, month, quarter, year and life ending then; over p_window (default life): money-weighted return, '
'volatility, Sharpe, Sortino, max and current drawdown (daily returns, 365 a year), closed trades (fills that '
'closed lots), wins, losses, win rate, average win and loss, profit factor, and against the account''s benchmark '
'(else the default) its return, alpha, beta, correlation; holdings now: active positions, the largest, diversity '
'(1 - sum of squared weights), cash share. NULL figures have a reason. 22023 for a null account, an unknown '
'window, an infinite p_as_of or a system account; P0002 for no account.';
