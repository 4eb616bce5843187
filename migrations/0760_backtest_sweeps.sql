-- Parameter sweeps of a backtestable strategy (issue 16 §3, docs/strategies.md "Sweeps"): every combination of
-- a grid of parameters run over the same bars in one set-based pass (strategy.sweep_backtest), stored as one
-- sweep with one row of figures per combination, ranked by the figure the caller chose. The figures are those
-- of strategy.backtests (a combination's row equals a run_backtest of it); the trades and equity curves are not
-- stored (run_backtest the combination you want to look at). The owner alone reads them (RLS).
-- depends: 0700_strategies_backtests
set local role tradebase_owner;

create table strategy.sweeps (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null,
    strategy_id uuid not null,
    security_id uuid not null,
    strategy_type text not null,
    parameters jsonb not null,
    grid jsonb not null,
    rank_by text not null,
    timeframe text not null,
    start_date date not null,
    end_date date not null,
    initial_capital numeric(24, 8) not null,
    commission numeric(12, 8) not null,
    bars integer not null,
    first_bar_at timestamptz not null,
    last_bar_at timestamptz not null,
    combinations integer not null,
    skipped jsonb not null default '[]'::jsonb,
    created_at timestamptz not null default now(),
    constraint sweeps_user_fk foreign key (user_id) references auth.users (id),
    constraint sweeps_strategy_fk foreign key (strategy_id) references strategy.strategies (id),
    constraint sweeps_security_fk foreign key (security_id) references market.securities (id),
    constraint sweeps_id_user_uk unique (id, user_id),
    constraint sweeps_range_ordered_ck check (start_date <= end_date),
    constraint sweeps_capital_positive_ck check (initial_capital > 0),
    constraint sweeps_commission_below_ten_percent_ck check (commission >= 0 and commission < 0.1),
    constraint sweeps_rank_by_known_ck check (
        rank_by in (
            'sharpe_ratio', 'sortino_ratio', 'calmar_ratio', 'return_pct', 'max_drawdown_pct', 'win_rate_pct',
            'profit_factor'
        )
    ),
    constraint sweeps_bars_positive_ck check (bars > 0),
    constraint sweeps_combinations_positive_ck check (combinations > 0),
    constraint sweeps_skipped_is_array_ck check (jsonb_typeof(skipped) = 'array')
);
comment on table strategy.sweeps is
'One parameter sweep (api.sweep_backtest): a strategy, its bars and its grid; its combinations'' figures are in '
'strategy.sweep_results.';
comment on column strategy.sweeps.parameters is 'The strategy''s parameters when the sweep ran (the grid overrides them).';
comment on column strategy.sweeps.grid is
'The grid as passed: per parameter an array of values or {"from", "to", "step"} (docs/strategies.md "Sweeps").';
comment on column strategy.sweeps.rank_by is 'The figure the combinations are ranked by, best first.';
comment on column strategy.sweeps.bars is 'Bars in the range.';
comment on column strategy.sweeps.combinations is 'Combinations run (rows of strategy.sweep_results).';
comment on column strategy.sweeps.skipped is
'Combinations of the grid that were not run, each {"parameters": ..., "reason": ...} (impossible, such as fast >= slow, '
'or needing more bars than the range has).';
create index sweeps_user_created_ix on strategy.sweeps (user_id, created_at);
create index sweeps_strategy_ix on strategy.sweeps (strategy_id);
create index sweeps_security_ix on strategy.sweeps (security_id);
alter table strategy.sweeps enable row level security;

create table strategy.sweep_results (
    sweep_id uuid not null,
    combination_no integer not null,
    user_id uuid not null,
    rank integer not null,
    parameters jsonb not null,
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
    constraint sweep_results_pk primary key (sweep_id, combination_no),
    constraint sweep_results_sweep_of_its_user_fk foreign key (sweep_id, user_id)
    references strategy.sweeps (id, user_id) on delete cascade,
    constraint sweep_results_rank_uk unique (sweep_id, rank),
    constraint sweep_results_rank_positive_ck check (rank > 0),
    constraint sweep_results_trade_counts_add_up_ck check (
        winning_trades >= 0 and losing_trades >= 0 and winning_trades + losing_trades <= closed_trades
    ),
    constraint sweep_results_max_drawdown_not_positive_ck check (max_drawdown_pct <= 0),
    constraint sweep_results_commissions_not_negative_ck check (commissions >= 0)
);
comment on table strategy.sweep_results is
'One combination of a sweep: its complete parameters and the figures a backtest of it has (strategy.backtests'' '
'columns, same definitions), ranked within the sweep.';
comment on column strategy.sweep_results.user_id is
'The sweep''s owner (for RLS); the foreign key with sweep_id holds it to the sweep''s user.';
comment on column strategy.sweep_results.combination_no is 'The combination''s place in the grid''s expansion, from 1.';
comment on column strategy.sweep_results.rank is
'1 = best by the sweep''s rank_by (higher is better; nulls last; ties in grid order).';
comment on column strategy.sweep_results.parameters is 'The combination: the strategy''s parameters with the grid''s values.';
comment on column strategy.sweep_results.return_pct is 'Statistic: as strategy.backtests.return_pct, of this combination.';
comment on column strategy.sweep_results.buy_hold_return_pct is 'Statistic: as strategy.backtests.buy_hold_return_pct, of this combination.';
comment on column strategy.sweep_results.max_drawdown_pct is 'Statistic: as strategy.backtests.max_drawdown_pct, of this combination.';
comment on column strategy.sweep_results.win_rate_pct is 'Statistic: as strategy.backtests.win_rate_pct, of this combination.';
comment on column strategy.sweep_results.profit_factor is 'Statistic: as strategy.backtests.profit_factor, of this combination.';
comment on column strategy.sweep_results.avg_trade_pct is 'Statistic: as strategy.backtests.avg_trade_pct, of this combination.';
comment on column strategy.sweep_results.best_trade_pct is 'Statistic: as strategy.backtests.best_trade_pct, of this combination.';
comment on column strategy.sweep_results.worst_trade_pct is 'Statistic: as strategy.backtests.worst_trade_pct, of this combination.';
comment on column strategy.sweep_results.exposure_pct is 'Statistic: as strategy.backtests.exposure_pct, of this combination.';
comment on column strategy.sweep_results.sharpe_ratio is 'Statistic: as strategy.backtests.sharpe_ratio, of this combination.';
comment on column strategy.sweep_results.sortino_ratio is 'Statistic: as strategy.backtests.sortino_ratio, of this combination.';
comment on column strategy.sweep_results.calmar_ratio is 'Statistic: as strategy.backtests.calmar_ratio, of this combination.';
create index sweep_results_user_sweep_ix on strategy.sweep_results (user_id, sweep_id);
alter table strategy.sweep_results enable row level security;
