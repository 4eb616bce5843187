"""scripts/count_tick_instructions.py in miniature: the single-user ticks under callgrind match every resting
order (the script exits on any error) and the difference of the two counts is reported per tick.

It runs callgrind, so it is `make bench-test`'s (marked `bench`), not `make test`'s."""

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))

import count_tick_instructions


@pytest.mark.bench
@pytest.mark.skipif(not shutil.which('valgrind'), reason='valgrind is not installed')
def test_counts_instructions_per_tick(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ['--resting', '3', '--ticks', '5', '--warmup', '5', '--keep', str(tmp_path)]
    assert count_tick_instructions.main(argv) == 0

    per_tick = re.search(r'instructions per tick with 3 resting orders: ([0-9,]+)', capsys.readouterr().out)
    assert per_tick and int(per_tick.group(1).replace(',', '')) > 0
    assert sorted(f.name for f in tmp_path.iterdir()) == ['callgrind.20', 'callgrind.25']
