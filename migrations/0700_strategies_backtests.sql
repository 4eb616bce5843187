-- Strategies, their recorded signals, and backtests with their trades and equity curves (issue 16 §1, §2;
-- DESIGN §5 "Backtests"). A strategy with no owner belongs to the platform's public catalogue (seed 002's
-- available strategies, inserted here); a user's own strategies, signals and backtests are theirs alone
-- (RLS). Parameters are validated per type by strategy.checked_parameters (sql/strategy/) in the api
-- functions that write them; the table only holds that they are a JSON object. A backtest is written
-- whole by api.run_backtest in one call (status completed) or not at all.
-- depends: 0360_risk_notify
set local role tradebase_owner;

create table strategy.strategies (
    id uuid primary key default gen_random_uuid(),
    user_id uuid,
    name text not null,
    description text,
    strategy_type text not null,
    parameters jsonb not null default '{}'::jsonb,
    symbols text[] not null default '{}',
    category text,
    risk_level text,
    min_capital numeric(24, 8),
    expected_annual_return_pct numeric(12, 4),
    expected_max_drawdown_pct numeric(12, 4),
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint strategies_user_fk foreign key (user_id) references auth.users (id),
    constraint strategies_owner_name_uk unique nulls not distinct (user_id, name),
    constraint strategies_name_not_blank_ck check (btrim(name) <> '' and length(name) <= 100),
    constraint strategies_description_at_most_2000_characters_ck check (length(description) <= 2000),
    constraint strategies_type_known_ck check (
        strategy_type in (
            'sma_crossover', 'rsi_reversion', 'signals', 'momentum', 'mean_reversion', 'arbitrage', 'ml', 'ai',
            'manual'
        )
    ),
    constraint strategies_parameters_is_object_ck check (jsonb_typeof(parameters) = 'object'),
    constraint strategies_at_most_100_symbols_ck check (cardinality(symbols) <= 100),
    constraint strategies_category_not_blank_ck check (btrim(category) <> '' and length(category) <= 50),
    constraint strategies_risk_level_known_ck check (risk_level in ('low', 'medium', 'high')),
    constraint strategies_min_capital_not_negative_ck check (min_capital >= 0),
    constraint strategies_expected_return_within_range_ck check (
        expected_annual_return_pct between -100 and 10000
    ),
    constraint strategies_expected_drawdown_is_percent_ck check (expected_max_drawdown_pct between 0 and 100)
);
comment on table strategy.strategies is
'Trading strategies (the seeds'' strategies, trading_strategies, ai_strategies): a user''s own, or with user_id '
'null the platform''s public catalogue, which every user reads. sma_crossover, rsi_reversion and signals can be '
'backtested (api.run_backtest); momentum, mean_reversion, arbitrage, ml, ai and manual are descriptive only.';
comment on column strategy.strategies.user_id is 'The owner; null: the public catalogue (read by all, changed by none).';
comment on column strategy.strategies.strategy_type is
'sma_crossover | rsi_reversion | signals (backtestable) | momentum | mean_reversion | arbitrage | ml | ai | manual.';
comment on column strategy.strategies.parameters is
'Per type, validated by strategy.checked_parameters: sma_crossover {fast, slow, mode: long_only|long_short}, '
'rsi_reversion {period, oversold, overbought}, signals {}; descriptive types any JSON object.';
comment on column strategy.strategies.symbols is 'Upper-case tickers the strategy is meant for (informative).';
comment on column strategy.strategies.risk_level is 'low | medium | high, as the author rates it.';
comment on column strategy.strategies.min_capital is 'The capital the author recommends at least (informative).';
comment on column strategy.strategies.expected_annual_return_pct is 'The author''s expected annual return, percent.';
comment on column strategy.strategies.expected_max_drawdown_pct is
'The author''s expected maximum drawdown, percent of peak equity (0 to 100).';
create index strategies_user_ix on strategy.strategies (user_id);
create index strategies_type_active_ix on strategy.strategies (strategy_type, is_active);
alter table strategy.strategies enable row level security;

create table strategy.signals (
    id bigint generated always as identity primary key,
    user_id uuid not null,
    strategy_id uuid not null,
    security_id uuid not null,
    signal_at timestamptz not null,
    action text not null,
    price numeric(24, 8),
    confidence numeric(5, 4),
    note text,
    created_at timestamptz not null default now(),
    constraint signals_user_fk foreign key (user_id) references auth.users (id),
    constraint signals_strategy_fk foreign key (strategy_id) references strategy.strategies (id),
    constraint signals_security_fk foreign key (security_id) references market.securities (id),
    constraint signals_one_per_strategy_security_time_uk unique (strategy_id, security_id, signal_at),
    constraint signals_action_known_ck check (action in ('buy', 'sell', 'close')),
    constraint signals_price_positive_ck check (price > 0),
    constraint signals_confidence_is_fraction_ck check (confidence between 0 and 1),
    constraint signals_note_at_most_500_characters_ck check (length(note) <= 500)
);
comment on table strategy.signals is
'Signals a user or an outside model recorded for a signals strategy (api.record_signal); a backtest of the '
'strategy acts on them with the same fills as the rule-based types.';
comment on column strategy.signals.signal_at is
'When the signal was taken: it belongs to the last bar starting at or before this time and fills at the open of '
'the next bar.';
comment on column strategy.signals.action is
'buy: be long (a short is closed first); sell: be short (a long is closed first); close: be flat.';
comment on column strategy.signals.price is 'The price the signal saw (informative; fills use the next bar''s open).';
comment on column strategy.signals.confidence is 'The model''s confidence, 0 to 1 (informative).';
create index signals_user_ix on strategy.signals (user_id);
create index signals_security_ix on strategy.signals (security_id);
alter table strategy.signals enable row level security;

create table strategy.backtests (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    strategy_id uuid not null,
    security_id uuid not null,
    strategy_type text not null,
    parameters jsonb not null,
    timeframe text not null,
    start_date date not null,
    end_date date not null,
    initial_capital numeric(24, 8) not null,
    commission numeric(12, 8) not null,
    status text not null default 'completed',
    bars integer not null,
    first_bar_at timestamptz not null,
    last_bar_at timestamptz not null,
    final_equity numeric(38, 8) not null,
    return_pct double precision not null,
    buy_hold_return_pct double precision,
    max_drawdown_pct double precision not null,
    closed_trades integer not null,
    winning_trades integer not null,
    losing_trades integer not null,
    win_rate_pct double precision,
    profit_factor double precision,
    avg_trade_pct double precision,
    best_trade_pct double precision,
    worst_trade_pct double precision,
    commissions numeric(38, 8) not null,
    exposure_pct double precision not null,
    sharpe_ratio double precision,
    sortino_ratio double precision,
    calmar_ratio double precision,
    created_at timestamptz not null default now(),
    constraint backtests_user_fk foreign key (user_id) references auth.users (id),
    constraint backtests_strategy_fk foreign key (strategy_id) references strategy.strategies (id),
    constraint backtests_security_fk foreign key (security_id) references market.securities (id),
    constraint backtests_id_user_uk unique (id, user_id),
    constraint backtests_range_ordered_ck check (start_date <= end_date),
    constraint backtests_capital_positive_ck check (initial_capital > 0),
    constraint backtests_commission_below_ten_percent_ck check (commission >= 0 and commission < 0.1),
    constraint backtests_status_known_ck check (status in ('completed')),
    constraint backtests_bars_positive_ck check (bars > 0),
    constraint backtests_trade_counts_add_up_ck check (
        winning_trades >= 0 and losing_trades >= 0 and winning_trades + losing_trades <= closed_trades
    ),
    constraint backtests_max_drawdown_not_positive_ck check (max_drawdown_pct <= 0),
    constraint backtests_commissions_not_negative_ck check (commissions >= 0)
);
comment on table strategy.backtests is
'One backtest (the seeds'' backtests, backtest_sessions): its configuration and results, computed by '
'api.run_backtest with the execution model of DESIGN §5 (docs/strategies.md).';
comment on column strategy.backtests.strategy_type is 'The strategy''s type when the backtest ran.';
comment on column strategy.backtests.parameters is 'The strategy''s parameters when the backtest ran.';
comment on column strategy.backtests.start_date is 'First UTC day of the range (bars starting on or after it).';
comment on column strategy.backtests.end_date is 'Last UTC day of the range (bars starting on or before it).';
comment on column strategy.backtests.commission is 'Commission rate per fill, a fraction of its notional, in [0, 0.1).';
comment on column strategy.backtests.status is 'completed (a backtest is stored whole when it has run, else not at all).';
comment on column strategy.backtests.bars is 'Bars in the range.';
comment on column strategy.backtests.final_equity is
'Equity at the last bar''s close: cash plus the open trade marked at the last close.';
comment on column strategy.backtests.return_pct is 'Statistic: final_equity / initial_capital - 1, percent.';
comment on column strategy.backtests.buy_hold_return_pct is
'Statistic: last close / the close of the first bar the strategy can act on - 1, percent.';
comment on column strategy.backtests.max_drawdown_pct is
'Statistic: deepest fall of the equity curve below its running peak, percent (0 or negative).';
comment on column strategy.backtests.closed_trades is 'Trades closed within the range (an open trade is not counted).';
comment on column strategy.backtests.winning_trades is 'Closed trades with a P&L above 0 (after commissions).';
comment on column strategy.backtests.losing_trades is 'Closed trades with a P&L below 0 (after commissions).';
comment on column strategy.backtests.win_rate_pct is 'Statistic: winning_trades / closed_trades, percent; null without trades.';
comment on column strategy.backtests.profit_factor is
'Statistic: sum of winning P&L / |sum of losing P&L| of closed trades; null without a losing trade.';
comment on column strategy.backtests.avg_trade_pct is 'Statistic: mean return of the closed trades, percent.';
comment on column strategy.backtests.best_trade_pct is 'Statistic: best closed trade''s return, percent.';
comment on column strategy.backtests.worst_trade_pct is 'Statistic: worst closed trade''s return, percent.';
comment on column strategy.backtests.commissions is 'Commissions of the closed trades (entry and exit).';
comment on column strategy.backtests.exposure_pct is
'Statistic: bars with a trade open at their close or filled at their open (entry through exit bar), percent of all bars.';
comment on column strategy.backtests.sharpe_ratio is
'Statistic: analytics.return_metrics of the daily returns of the equity curve (last equity of each UTC day), 252 a year.';
comment on column strategy.backtests.sortino_ratio is 'Statistic: as sharpe_ratio, from analytics.return_metrics.';
comment on column strategy.backtests.calmar_ratio is 'Statistic: as sharpe_ratio, from analytics.return_metrics.';
create index backtests_user_created_ix on strategy.backtests (user_id, created_at);
create index backtests_strategy_ix on strategy.backtests (strategy_id);
create index backtests_security_ix on strategy.backtests (security_id);
alter table strategy.backtests enable row level security;

create table strategy.backtest_trades (
    backtest_id uuid not null,
    trade_no integer not null,
    user_id uuid not null,
    size numeric(28, 10) not null,
    entry_bar integer not null,
    entry_at timestamptz not null,
    entry_price numeric(24, 8) not null,
    exit_bar integer,
    exit_at timestamptz,
    exit_price numeric(24, 8),
    pnl numeric(38, 8),
    return_pct double precision,
    commission numeric(38, 8) not null,
    constraint backtest_trades_pk primary key (backtest_id, trade_no),
    constraint backtest_trades_backtest_of_its_user_fk foreign key (backtest_id, user_id)
    references strategy.backtests (id, user_id) on delete cascade,
    constraint backtest_trades_size_not_zero_ck check (size <> 0),
    constraint backtest_trades_exit_not_before_entry_ck check (exit_bar >= entry_bar),
    constraint backtest_trades_exit_complete_ck check (
        (exit_bar is null) = (exit_at is null)
        and (exit_bar is null) = (exit_price is null)
        and (exit_bar is null) = (pnl is null)
    )
);
comment on table strategy.backtest_trades is
'Every trade of a backtest in order: closed ones with their exit, and at most one still open after the last bar '
'(exit null; marked at the last close in final_equity, not counted as closed).';
comment on column strategy.backtest_trades.user_id is
'The backtest''s owner (for RLS); the foreign key with backtest_id holds it to the backtest''s user.';
comment on column strategy.backtest_trades.size is 'Units, negative for a short.';
comment on column strategy.backtest_trades.entry_bar is 'Index of the entry bar in the backtest''s range (0 = first bar).';
comment on column strategy.backtest_trades.entry_at is 'Start of the entry bar: the trade filled at its open.';
comment on column strategy.backtest_trades.exit_bar is 'Index of the exit bar; null while the trade is open.';
comment on column strategy.backtest_trades.exit_at is 'Start of the exit bar: the trade closed at its open.';
comment on column strategy.backtest_trades.pnl is 'size × (exit - entry price) less both commissions.';
comment on column strategy.backtest_trades.return_pct is 'Statistic: pnl / (|size| × entry price), percent.';
comment on column strategy.backtest_trades.commission is 'Commission paid at entry, plus at exit once closed.';
create index backtest_trades_user_backtest_ix on strategy.backtest_trades (user_id, backtest_id);
alter table strategy.backtest_trades enable row level security;

create table strategy.backtest_equity (
    backtest_id uuid not null,
    bar_no integer not null,
    user_id uuid not null,
    ts timestamptz not null,
    close numeric(24, 8) not null,
    position numeric(28, 10) not null,
    equity numeric(38, 8) not null,
    drawdown_pct double precision not null,
    constraint backtest_equity_pk primary key (backtest_id, bar_no),
    constraint backtest_equity_backtest_of_its_user_fk foreign key (backtest_id, user_id)
    references strategy.backtests (id, user_id) on delete cascade,
    constraint backtest_equity_drawdown_not_positive_ck check (drawdown_pct <= 0)
);
comment on table strategy.backtest_equity is 'The equity curve of a backtest: one row per bar of its range.';
comment on column strategy.backtest_equity.user_id is
'The backtest''s owner (for RLS); the foreign key with backtest_id holds it to the backtest''s user.';
comment on column strategy.backtest_equity.bar_no is 'Index of the bar in the backtest''s range (0 = first bar).';
comment on column strategy.backtest_equity.ts is 'Start of the bar.';
comment on column strategy.backtest_equity.position is 'Units held at the bar''s close, negative for a short.';
comment on column strategy.backtest_equity.equity is 'Cash plus the open trade marked at the bar''s close.';
comment on column strategy.backtest_equity.drawdown_pct is 'Statistic: equity / its running peak - 1, percent (0 or negative).';
create index backtest_equity_user_backtest_ix on strategy.backtest_equity (user_id, backtest_id);
alter table strategy.backtest_equity enable row level security;

-- The public catalogue (seed 002's available strategies: the RSI strategy of its example, on its symbols; the
-- seeds' descriptive types; and the two rule-based types with their textbook parameters).
insert into strategy.strategies (
    name, description, strategy_type, parameters, symbols, category, risk_level, min_capital,
    expected_annual_return_pct, expected_max_drawdown_pct
) values
(
    'SMA Crossover 10/20', 'Long when the 10-bar moving average crosses above the 20-bar one, flat when it '
    || 'crosses below.', 'sma_crossover', '{"fast": 10, "slow": 20, "mode": "long_only"}', '{}', 'trend following',
    'medium', 1000, null, null
),
(
    'SMA Crossover 10/20 Long-Short', 'Always in the market: long after a cross up of the 10-bar over the '
    || '20-bar moving average, short after a cross down.', 'sma_crossover',
    '{"fast": 10, "slow": 20, "mode": "long_short"}', '{}', 'trend following', 'high', 5000, null, null
),
(
    'RSI DMI Strategy', 'Buys when the 14-bar RSI closes below 30 and sells when it closes above 70 (seed 002''s '
    || 'rsi_dmi).', 'rsi_reversion', '{"period": 14, "oversold": 30, "overbought": 70}',
    '{RELIANCE,TCS,INFY}', 'mean reversion', 'medium', 1000, null, null
),
(
    'Momentum', 'Buys strength and sells weakness (descriptive; not backtestable).', 'momentum', '{}', '{}',
    'momentum', 'high', null, null, null
),
(
    'Mean Reversion', 'Trades back towards an average (descriptive; not backtestable).', 'mean_reversion', '{}', '{}',
    'mean reversion', 'medium', null, null, null
),
(
    'Arbitrage', 'Exploits price differences between markets (descriptive; not backtestable).', 'arbitrage', '{}',
    '{}', 'arbitrage', 'low', null, null, null
);
