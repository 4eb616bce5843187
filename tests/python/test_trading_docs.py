"""docs/trading.md runs: its ```sql blocks go through psql in order, in one session on a fresh database,
and each block followed by a ```text block must print exactly that text."""

import re
import subprocess

from tradebase import config
from tradebase.cluster import find_bindir

DOC = config.ROOT / 'docs' / 'trading.md'
BLOCK = re.compile(r'```sql\n(.*?)```\n(?:\n?```text\n(.*?)```\n)?', re.DOTALL)
MARK = '-- tradebase docs block {} --'  # echoed between blocks to split psql's output


def blocks() -> list[tuple[str, str | None]]:
    return [(sql, text or None) for sql, text in BLOCK.findall(DOC.read_text())]


def lines(text: str) -> list[str]:
    """Lines without psql's trailing padding, leading and trailing blank lines dropped."""
    return [line.rstrip() for line in text.strip('\n').splitlines()]


def run_doc(url: str) -> list[str]:
    """The output of each block (psql defaults: aligned tables with footers)."""
    script = ''.join(f'\\echo {MARK.format(n)}\n{sql}' for n, (sql, _) in enumerate(blocks()))
    out = subprocess.run(
        [str(find_bindir() / 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    parts = re.split(r'^-- tradebase docs block \d+ --\n', out.stdout, flags=re.MULTILINE)
    return parts[1:]


def test_the_examples_print_what_the_doc_says(db_url):
    outputs = run_doc(db_url)
    expected = blocks()
    assert len(outputs) == len(expected)
    for (sql, text), got in zip(expected, outputs, strict=True):
        if text is not None:
            assert lines(got) == lines(text), f'for:\n{sql}'


def test_the_doc_has_checked_examples():
    assert sum(1 for _, text in blocks() if text) >= 5
