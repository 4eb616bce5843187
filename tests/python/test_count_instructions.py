"""scripts/count_instructions.py in miniature: the single-user runs under callgrind fill every order (the
script exits otherwise) and the difference of the two counts is reported per order.

Both run callgrind, so both are `make bench-test`'s (marked `bench`), not `make test`'s."""

import re
import shutil
import sys
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))

import count_instructions


@pytest.mark.bench
@pytest.mark.skipif(not shutil.which('valgrind'), reason='valgrind is not installed')
def test_counts_instructions_per_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert count_instructions.main(['--orders', '5', '--warmup', '20', '--keep', str(tmp_path)]) == 0

    per_order = re.search(r'instructions per market order: ([0-9,]+)', capsys.readouterr().out)
    assert per_order and int(per_order.group(1).replace(',', '')) > 0
    assert sorted(f.name for f in tmp_path.iterdir()) == ['callgrind.20', 'callgrind.25']


@pytest.mark.bench
@pytest.mark.skipif(not shutil.which('valgrind'), reason='valgrind is not installed')
def test_a_variant_runs_after_migrating(tmp_path: Path) -> None:
    # A variant that refuses every order: the warm-up's first order fails on it.
    variant = tmp_path / 'no_orders.sql'
    variant.write_text('alter table trading.orders add constraint no_orders_ck check (false) not valid;')
    with pytest.raises(psycopg.errors.CheckViolation, match='no_orders_ck'):
        count_instructions.main(['--orders', '5', '--warmup', '1', '--variant', str(variant)])


def test_the_count_is_held_to_its_budget() -> None:
    """make bench's pass/fail: within 5 % of the baseline, and the line says how far from it."""
    assert count_instructions.BUDGET == 3_188_937
    met, text = count_instructions.verdict(3_188_937, count_instructions.BUDGET)
    assert met and text.endswith('met (+5.0% against 3,037,083)')
    met, text = count_instructions.verdict(3_188_938, count_instructions.BUDGET)
    assert not met and 'exceeded' in text
