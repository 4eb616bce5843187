"""`make bench-trades` in miniature: the harness runs every workload under each protocol each round, the
orders it places keep the invariants (it exits otherwise), and the report shows each round and the medians,
each ratio against the baseline of its own protocol.

The runs of pgbench (marked `bench`) are `make bench-test`'s; `make test` runs the rest (no server)."""

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))

import bench_trades


@pytest.mark.bench
def test_two_short_rounds_report_each_round_and_the_medians(server_url: str) -> None:
    rounds = bench_trades.run(
        server_url, clients=2, seconds=1, scale=2, script='market_order', warmup=0, rounds=2, users=100
    )

    workloads = [
        f'{protocol}: {name}'
        for protocol in ('simple', 'prepared')
        for name in ('tpcb-like', 'market_order distinct', 'market_order shared')
    ]
    assert [list(r) for r in rounds] == [workloads] * 2
    assert bench_trades.verdict(rounds) is not None  # the target names a workload the run has
    assert all(tps > 0 for r in rounds for tps in r.values())
    lines = bench_trades.report(rounds).strip().splitlines()
    assert lines[0].split() == ['workload', 'round', '1', 'round', '2', 'median', 'TPS', 'median', 'ratio']
    assert [line.split()[0] for line in lines[1:]] == ['simple:'] * 3 + ['prepared:'] * 3
    assert lines[1].split()[-1] == lines[4].split()[-1] == '1.00'


def test_the_median_ratio_is_taken_over_rounds_not_over_medians() -> None:
    rounds = [
        {'simple: tpcb-like': 1000.0, 'simple: orders': 500.0},
        {'simple: tpcb-like': 2000.0, 'simple: orders': 400.0},
        {'simple: tpcb-like': 4000.0, 'simple: orders': 1200.0},
    ]
    orders = bench_trades.report(rounds).strip().splitlines()[2].split()
    # Ratios 0.50, 0.20, 0.30: median 0.30; median TPS 500 (500 / 2000 would say 0.25).
    assert orders[-2:] == ['500', '0.30']


def test_each_ratio_is_to_the_baseline_of_its_own_protocol() -> None:
    rounds = [
        {'simple: tpcb-like': 1000.0, 'prepared: tpcb-like': 4000.0, 'simple: o': 600.0, 'prepared: o': 800.0}
    ]
    lines = bench_trades.report(rounds).strip().splitlines()
    assert [line.split()[-1] for line in lines[1:]] == ['1.00', '1.00', '0.60', '0.20']


def test_the_run_is_held_to_half_of_tpcb_like_under_the_default_protocol() -> None:
    def rounds(*orders: float) -> list[dict]:
        return [
            {'simple: tpcb-like': 1000.0, 'simple: market_order distinct': o, 'prepared: tpcb-like': 9000.0,
             'prepared: market_order distinct': 100.0}
            for o in orders
        ]  # fmt: skip

    met, text = bench_trades.verdict(rounds(400.0, 500.0, 900.0))
    assert met and text.strip().endswith('met (median ratio 0.50)')
    # One good round does not carry the run: the median decides.
    met, text = bench_trades.verdict(rounds(490.0, 450.0, 900.0))
    assert not met and text.strip().endswith('missed (median ratio 0.49)')
    assert bench_trades.verdict([{'prepared: tpcb-like': 1.0, 'prepared: deposit distinct': 1.0}]) is None


def test_a_run_that_misses_the_target_exits_with_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(bench_trades.config, 'database_url', lambda: 'postgresql://bench@127.0.0.1/tradebase')
    rounds = {'simple: tpcb-like': 1000.0, 'simple: market_order distinct': 450.0}
    monkeypatch.setattr(bench_trades, 'run', lambda *args: [rounds])
    assert bench_trades.main(['--protocols', 'simple']) == 1
    assert capsys.readouterr().out.strip().endswith('missed (median ratio 0.45)')
    assert bench_trades.main(['--protocols', 'simple', '--report-only']) == 0


def test_protocols_are_checked() -> None:
    assert bench_trades.protocol_list('prepared') == ('prepared',)
    with pytest.raises(argparse.ArgumentTypeError, match='unknown pgbench protocol fast'):
        bench_trades.protocol_list('simple,fast')


def test_each_round_starts_with_the_next_workload() -> None:
    names = ['tpcb-like', 'distinct', 'shared']
    assert [bench_trades.round_order(names, n) for n in (1, 2, 3, 4)] == [
        ['tpcb-like', 'distinct', 'shared'],
        ['distinct', 'shared', 'tpcb-like'],
        ['shared', 'tpcb-like', 'distinct'],
        ['tpcb-like', 'distinct', 'shared'],
    ]


def test_the_script_runs_as_a_command() -> None:
    script = Path(bench_trades.__file__)
    out = subprocess.run([sys.executable, str(script), '--help'], capture_output=True, text=True, check=True)
    assert '--protocols' in out.stdout


@pytest.mark.bench
def test_a_run_whose_orders_do_not_fill_fails(server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sale of what the account does not hold is a stored rejection: cheap, and not what is measured.
    sell = bench_trades.SCRIPTS['market_order'].replace("'buy'", "'sell'")
    monkeypatch.setitem(bench_trades.SCRIPTS, 'market_order', sell)
    with pytest.raises(SystemExit, match='orders did not fill'):
        bench_trades.run(
            server_url, clients=1, seconds=1, scale=1, script='market_order', warmup=0, rounds=1, users=10,
            protocols=('prepared',),
        )  # fmt: skip
