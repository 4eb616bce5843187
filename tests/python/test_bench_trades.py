"""`make bench-trades` in miniature: the harness runs every workload each round, the orders it places keep
the invariants (it exits otherwise), and the report shows each round and the medians."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))

import bench_trades


def test_two_short_rounds_report_each_round_and_the_medians(server_url: str) -> None:
    rounds = bench_trades.run(
        server_url, clients=2, seconds=1, scale=2, script='market_order', warmup=0, rounds=2, users=100
    )

    assert [list(r) for r in rounds] == [['tpcb-like', 'market_order distinct', 'market_order shared']] * 2
    assert all(tps > 0 for r in rounds for tps in r.values())
    lines = bench_trades.report(rounds).strip().splitlines()
    assert lines[0].split() == ['workload', 'round', '1', 'round', '2', 'median', 'TPS', 'median', 'ratio']
    assert [line.split()[0] for line in lines[1:]] == ['tpcb-like', 'market_order', 'market_order']
    assert lines[1].split()[-1] == '1.00'


def test_the_median_ratio_is_taken_over_rounds_not_over_medians() -> None:
    rounds = [
        {'tpcb-like': 1000.0, 'orders': 500.0},
        {'tpcb-like': 2000.0, 'orders': 400.0},
        {'tpcb-like': 4000.0, 'orders': 1200.0},
    ]
    orders = bench_trades.report(rounds).strip().splitlines()[2].split()
    # Ratios 0.50, 0.20, 0.30: median 0.30; median TPS 500 (500 / 2000 would say 0.25).
    assert orders[-2:] == ['500', '0.30']


def test_each_round_starts_with_the_next_workload() -> None:
    names = ['tpcb-like', 'distinct', 'shared']
    assert [bench_trades.round_order(names, n) for n in (1, 2, 3, 4)] == [
        ['tpcb-like', 'distinct', 'shared'],
        ['distinct', 'shared', 'tpcb-like'],
        ['shared', 'tpcb-like', 'distinct'],
        ['tpcb-like', 'distinct', 'shared'],
    ]
