-- The equity curve of a backtest as one row per backtest (issue 16 §5): the bars it ran over (their starts
-- and closes, as arrays) and the states of the strategy (from which bar on it held which cash and position),
-- from which api.backtest_equity expands the curve bar by bar: equity = cash + position × close. Writing
-- the curve one row per bar (an index entry and a foreign-key check per bar) cost a backtest over 500,000
-- bars most of its time. The arrays are stored uncompressed (storage external): numeric and timestamp
-- arrays barely compress, and compressing them cost more than writing them. Existing curves are carried
-- over with a state at every bar (cash = equity - position × close), which reproduces them exactly.
-- depends: 0700_strategies_backtests
set local role tradebase_owner;

alter table strategy.backtest_equity rename to backtest_equity_rows;
alter index strategy.backtest_equity_pk rename to backtest_equity_rows_pk;
alter index strategy.backtest_equity_user_backtest_ix rename to backtest_equity_rows_user_backtest_ix;

create table strategy.backtest_equity (
    backtest_id uuid not null,
    user_id uuid not null,
    bar_at timestamptz[] not null,
    close numeric[] not null,
    state_bar integer[] not null,
    state_cash numeric[] not null,
    state_position numeric[] not null,
    constraint backtest_equity_pk primary key (backtest_id),
    constraint backtest_equity_backtest_of_its_user_fk foreign key (backtest_id, user_id)
    references strategy.backtests (id, user_id) on delete cascade,
    constraint backtest_equity_a_close_per_bar_ck check (
        pg_catalog.array_ndims(bar_at) = 1
        and pg_catalog.array_lower(bar_at, 1) = 1
        and pg_catalog.cardinality(close) = pg_catalog.cardinality(bar_at)
    ),
    constraint backtest_equity_states_from_bar_0_ck check (
        pg_catalog.array_ndims(state_bar) = 1
        and pg_catalog.array_lower(state_bar, 1) = 1
        and state_bar[1] = 0
        and pg_catalog.cardinality(state_cash) = pg_catalog.cardinality(state_bar)
        and pg_catalog.cardinality(state_position) = pg_catalog.cardinality(state_bar)
    )
);
alter table strategy.backtest_equity
alter column bar_at set storage external,
alter column close set storage external;
comment on table strategy.backtest_equity is
'The equity curve of a backtest, one row per backtest: its bars and its states; api.backtest_equity expands it '
'(equity at bar k = state_cash + state_position × close of the last state starting at or before k).';
comment on column strategy.backtest_equity.user_id is
'The backtest''s owner (for RLS); the foreign key with backtest_id holds it to the backtest''s user.';
comment on column strategy.backtest_equity.bar_at is 'Start of each bar of the range (element k + 1: bar k).';
comment on column strategy.backtest_equity.close is 'Each bar''s close, as the backtest read it.';
comment on column strategy.backtest_equity.state_bar is
'The bar each state starts at, ascending from 0 (a trade opened, or closed without another opening, or ruin).';
comment on column strategy.backtest_equity.state_cash is
'Each state''s cash part: the equity at a close is state_cash + state_position × close.';
comment on column strategy.backtest_equity.state_position is 'Units held in each state, negative for a short.';
create index backtest_equity_user_backtest_ix on strategy.backtest_equity (user_id, backtest_id);
alter table strategy.backtest_equity enable row level security;

insert into strategy.backtest_equity (backtest_id, user_id, bar_at, close, state_bar, state_cash, state_position)
select
    r.backtest_id,
    r.user_id,
    array_agg(r.ts order by r.bar_no) as bar_at,
    array_agg(r.close order by r.bar_no) as close,
    array_agg(r.bar_no order by r.bar_no) as state_bar,
    array_agg(r.equity - r.position * r.close order by r.bar_no) as state_cash,
    array_agg(r.position order by r.bar_no) as state_position
from strategy.backtest_equity_rows as r
group by r.backtest_id, r.user_id;

drop table strategy.backtest_equity_rows cascade;

-- A trade as strategy.simulate walks it out of a strategy's decisions, before it is stored: run_backtest keeps
-- a backtest's trades in one array of these while it computes the curve from them.
create type strategy.simulated_trade as (
    trade_no integer,
    size numeric,
    entry_bar integer,
    entry_at timestamptz,
    entry_price numeric,
    entry_cash numeric,
    exit_bar integer,
    exit_at timestamptz,
    exit_price numeric,
    exit_cash numeric,
    pnl numeric,
    commission numeric
);
comment on type strategy.simulated_trade is
'A trade of strategy.simulate: fills at bar opens (entry_at, exit_at: those bars'' starts), the cash after the entry '
'and after the exit, and for the trade still open after the last bar null exit fields.';
