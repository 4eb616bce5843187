"""make bench: the NAV strike of 1,000 funds x 20 positions against a plain SELECT valuing them.

Issue 17 holds the strike of all funds to at most LIMIT (2) times one plain `SELECT` that values the same
positions at the same prices. This starts a throwaway server (or uses DATABASE_URL, a superuser), migrates a
scratch database and builds, with plain inserts as the owner, FUNDS funds (one manager, a fund account each
with cash and POSITIONS positions in 20 securities quoted before the strike day, one investor lot each,
and HISTORY days of NAV snapshots up to the day before). Then, from one connection, ROUNDS rounds time each
statement in turn (the order alternates each round):

- `select`: one statement valuing every fund account's positions at the last price at or before the strike
  time (the quote when observed by then, else the newest daily bar by then: the strike's own rule), summed
  per fund;
- `strike`: `ops.job_strike_funds` for that day (what the strike_funds job runs: per fund the lock,
  valuation, management fee, NAV, lots' fees, snapshot with its return statistics from the previous
  snapshot's accumulators), inside a transaction rolled back after it, so every call strikes the same day
  from the same state.

Each round takes the fastest of REPS calls of each (the cost when nothing else holds the CPU) and their
ratio; it prints every round, then the median ratio, and exits 1 above LIMIT unless --report-only. Timings
move between runs; the ratio is the figure.
"""

import argparse
import datetime as dt
import statistics
import sys
import time

import psycopg

import scratch  # a sibling script: the scratch database

LIMIT = 2.0
AS_OF = dt.datetime(2026, 1, 15, 23, 59, 59, 999999, tzinfo=dt.UTC)
PERIOD = (dt.datetime(2026, 1, 15, tzinfo=dt.UTC), dt.datetime(2026, 1, 16, tzinfo=dt.UTC))
LAST_STRIKE = dt.date(2026, 1, 14)
SELECT = """
select f.id, sum(round(p.quantity * px.price, 8))
from fund.funds as f
inner join trading.positions as p on p.account_id = f.account_id and p.quantity <> 0
left join lateral (
    select o.price
    from (
        select q.price, q.quoted_at as observed_at
        from market.quotes as q
        where q.security_id = p.security_id and q.quoted_at <= %(as_of)s
        union all
        (
            select d.close, d.ts
            from market.market_data as d
            where d.security_id = p.security_id and d.timeframe = '1d' and d.ts <= %(as_of)s
            order by d.ts desc
            limit 1
        )
    ) as o
    order by o.observed_at desc
    limit 1
) as px on true
group by f.id
"""
STRIKE = 'select ops.job_strike_funds(%(start)s, %(end)s)'


def build(conn: psycopg.Connection, funds: int, positions: int, history: int = 1) -> None:
    """FUNDS funds of one manager, each with cash, POSITIONS positions and one investor's lot, struck daily
    for HISTORY days up to the day before (so the strike accrues a day's fee and carries the last snapshot's
    return accumulators on)."""
    conn.execute('set role tradebase_owner')
    manager = conn.execute(
        'insert into auth.users (email, username, role) '
        "values ('bench-m@example.com', 'bench_m', 'fund_manager') returning id"
    ).fetchone()[0]
    investor = conn.execute(
        "insert into auth.users (email, username) values ('bench-i@example.com', 'bench_i') returning id"
    ).fetchone()[0]
    conn.execute(
        'insert into market.securities (symbol, name, asset_type, currency) '
        "select 'BF' || i, 'Bench fund stock ' || i, 'stock', 'USD' from generate_series(1, %s) as i",
        [positions],
    )
    conn.execute(
        'insert into market.quotes (security_id, price, quoted_at) '
        "select id, 10 + random() * 90, '2026-01-10' "
        "from market.securities where symbol like 'BF%%'"
    )
    conn.execute(
        """
        with accounts as (
            insert into trading.accounts (user_id, name, kind, base_currency, cash)
            select %(m)s, 'bench ' || k || ' ' || i, k, 'USD', case when k = 'fund' then 100000 else 0 end
            from generate_series(1, %(n)s) as i, (values ('fund'), ('live')) as v (k)
            returning id, name, kind
        )
        insert into fund.funds (
            name, manager_id, fund_type, account_id, fee_account_id, management_fee_rate,
            performance_fee_rate, min_investment, max_investment, crystallization_date, shares_outstanding,
            nav_per_share, last_strike_date
        )
        select 'Bench fund ' || split_part(a.name, ' ', 3), %(m)s, 'premium', a.id, e.id, 0.01, 0.1, 100000,
            1000000, '2026-12-31', 1000000, 1, %(last)s
        from accounts as a
        inner join accounts as e
            on e.kind = 'live' and split_part(e.name, ' ', 3) = split_part(a.name, ' ', 3)
        where a.kind = 'fund'
        """,
        {'m': manager, 'n': funds, 'last': LAST_STRIKE},
    )
    conn.execute(
        'insert into trading.positions (account_id, security_id, quantity, cost_basis) '
        'select f.account_id, s.id, 100, 5000 from fund.funds as f cross join market.securities as s '
        "where s.symbol like 'BF%%'"
    )
    conn.execute(
        """
        with flows as (
            insert into fund.flows (
                fund_id, user_id, account_id, kind, status, amount, shares, nav_per_share, request_journal_id,
                deal_journal_id, request, requested_at, dealt_at, strike_date, closed_at
            )
            select f.id, %(i)s, f.fee_account_id, 'subscription', 'dealt', 1000000, 1000000, 1, 0, 0, '{}',
                '2026-01-13', '2026-01-13', '2026-01-13', '2026-01-13'
            from fund.funds as f
            returning id, fund_id
        )
        insert into fund.lots (fund_id, user_id, flow_id, original_shares, shares, high_water_mark)
        select w.fund_id, %(i)s, w.id, 1000000, 1000000, 1 from flows as w
        """,
        {'i': investor},
    )
    conn.execute(
        'insert into fund.holdings (fund_id, user_id, shares, net_invested) '
        'select id, %s, 1000000, 1000000 from fund.funds',
        [investor],
    )
    # The NAV history: a snapshot per fund and day, the first without a return, then random daily returns
    # and accumulators that hold the table's rules (the strike reads only the last one's).
    conn.execute(
        """
        insert into fund.performance_snapshots (
            fund_id, snapshot_date, as_of, struck_at, cash, positions_value, accrued_management_fee,
            management_fee, accrued_performance_fee, nav, shares_outstanding, nav_per_share, daily_return,
            cumulative_return, return_count, return_sum, return_sxx, return_min, return_max, log_wealth,
            log_peak, log_floor, log_drawdown
        )
        select
            h.fund_id, h.day, h.day + interval '1 day' - interval '1 microsecond', h.day + interval '1 day',
            100000, 900000, 0, 0, 0, 1000000, 1000000, 1, h.r, 0, h.n, h.sx, h.sxx, h.lo, h.hi,
            h.lw, h.peak, h.lw - (h.peak - h.lw), -(h.peak - h.lw)
        from (
            select
                w.*,
                case when w.n > 0 then greatest(max(w.lw) over f, 0) end as peak
            from (
                select
                    d.*,
                    count(d.r) over f as n,
                    sum(d.r) over f as sx,
                    regr_sxx(d.r, d.r) over f as sxx,
                    min(d.r) over f as lo,
                    max(d.r) over f as hi,
                    sum(ln(1 + d.r)) over f as lw
                from (
                    select
                        g.id as fund_id, t.day::date as day,
                        case when t.day > %(first)s then (random() - 0.5) / 50 end as r
                    from fund.funds as g
                    cross join generate_series(%(first)s::date, %(last)s::date, interval '1 day') as t (day)
                ) as d
                window f as (partition by d.fund_id order by d.day)
            ) as w
            window f as (partition by w.fund_id order by w.day)
        ) as h
        """,
        {'first': LAST_STRIKE - dt.timedelta(days=history - 1), 'last': LAST_STRIKE},
    )
    conn.execute('reset role')
    conn.execute('analyze')


def timed(conn: psycopg.Connection, name: str, reps: int) -> float:
    """The fastest of REPS calls, in milliseconds; the strike in a transaction rolled back after it."""
    params = {'as_of': AS_OF, 'start': PERIOD[0], 'end': PERIOD[1]}
    times = []
    for _ in range(reps):
        if name == 'strike':
            with conn.transaction(force_rollback=True):
                start = time.perf_counter()
                struck = conn.execute(STRIKE, params, prepare=True).fetchone()[0]
                times.append(time.perf_counter() - start)
        else:
            start = time.perf_counter()
            rows = conn.execute(SELECT, params, prepare=True).fetchall()
            times.append(time.perf_counter() - start)
    if name == 'strike':
        assert struck > 0
    else:
        assert rows
    return min(times) * 1000


def measure(
    url: str, funds: int, positions: int, rounds: int, reps: int, history: int = 1
) -> list[dict[str, float]]:
    results = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute('set jit = off')
        build(conn, funds, positions, history)
        struck = len(conn.execute(SELECT, {'as_of': AS_OF}).fetchall())
        print(f'{struck} funds valued, {funds * positions} positions', flush=True)
        timed(conn, 'select', 2)
        timed(conn, 'strike', 1)
        for i in range(rounds):
            order = ['select', 'strike'] if i % 2 == 0 else ['strike', 'select']
            ms = {name: timed(conn, name, reps) for name in order}
            results.append(ms)
            print(
                f'round {i + 1}: select {ms["select"]:.1f} ms, strike {ms["strike"]:.1f} ms '
                f'({ms["strike"] / ms["select"]:.2f}x)',
                flush=True,
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--funds', type=int, default=1000)
    parser.add_argument('--positions', type=int, default=20)
    parser.add_argument(
        '--history', type=int, default=250, help='days of NAV history per fund before the strike'
    )
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--reps', type=int, default=3)
    parser.add_argument('--report-only', action='store_true', help='print the verdict but exit 0 above LIMIT')
    args = parser.parse_args(argv)

    with scratch.migrated_database('bench_funds') as url:
        results = measure(
            url, args.funds, args.positions, max(args.rounds, 1), max(args.reps, 1), max(args.history, 1)
        )
    ratio = statistics.median(r['strike'] / r['select'] for r in results)
    met = ratio <= LIMIT
    print(
        f'\nmedian ratio of the strike of {args.funds} funds x {args.positions} positions to one SELECT '
        f'valuing them: {ratio:.2f}x (limit {LIMIT:.0f}x: {"met" if met else "missed"})'
    )
    return 0 if met or args.report_only else 1


if __name__ == '__main__':
    sys.exit(main())
