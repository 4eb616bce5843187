"""scripts/count_instructions.py in miniature: the single-user runs under callgrind fill every order (the
script exits otherwise) and the difference of the two counts is reported per order."""

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))

import count_instructions


@pytest.mark.skipif(not shutil.which('valgrind'), reason='valgrind is not installed')
def test_counts_instructions_per_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert count_instructions.main(['--orders', '5', '--warmup', '20', '--keep', str(tmp_path)]) == 0

    per_order = re.search(r'instructions per market order: ([0-9,]+)', capsys.readouterr().out)
    assert per_order and int(per_order.group(1).replace(',', '')) > 0
    assert sorted(f.name for f in tmp_path.iterdir()) == ['callgrind.20', 'callgrind.25']
