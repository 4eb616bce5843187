-- Undo 0780: the equity curve back to one row per bar (0700's table), curves carried back. Cascade drops the
-- sql/ objects built on the array table (policy, api view); migrate re-creates them.
set local role tradebase_owner;

alter table strategy.backtest_equity rename to backtest_equity_arrays;
alter index strategy.backtest_equity_pk rename to backtest_equity_arrays_pk;
alter index strategy.backtest_equity_user_backtest_ix rename to backtest_equity_arrays_user_backtest_ix;

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

insert into strategy.backtest_equity (backtest_id, bar_no, user_id, ts, close, position, equity, drawdown_pct)
select
    x.backtest_id,
    x.bar_no,
    x.user_id,
    x.ts,
    x.close,
    x.position,
    x.equity,
    case
        when x.equity <= 0 then -100 else
            ((x.equity / max(x.equity) over (partition by x.backtest_id order by x.bar_no) - 1) * 100)::double precision
    end as drawdown_pct
from (
    select
        a.backtest_id,
        (u.n - 1)::integer as bar_no,
        a.user_id,
        u.ts,
        u.close,
        a.state_position[width_bucket((u.n - 1)::integer, a.state_bar)] as position,
        (
            a.state_cash[width_bucket((u.n - 1)::integer, a.state_bar)]
            + a.state_position[width_bucket((u.n - 1)::integer, a.state_bar)] * u.close
        )::numeric(38, 8
        ) as equity
    from strategy.backtest_equity_arrays as a
    cross join lateral unnest(a.bar_at, a.close) with ordinality as u (ts, close, n)
) as x;

drop table strategy.backtest_equity_arrays cascade;
drop type strategy.simulated_trade cascade;
