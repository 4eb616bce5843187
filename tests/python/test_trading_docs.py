"""docs/trading.md: every ```sql example runs, in order and in one transaction; where a ```text block follows,
the last statement's rows (cells joined by ' | ', or 'ERROR <sqlstate>') must match it exactly."""

import re

import psycopg

from tradebase import config

BLOCK = re.compile(r'```sql\n(.*?)```(?:\s*```text\n(.*?)```)?', re.S)


def render(cur: psycopg.Cursor) -> str:
    if cur.description is None:
        return ''
    return '\n'.join(' | '.join('null' if v is None else str(v) for v in row) for row in cur.fetchall())


def test_trading_doc_examples(db_url):
    doc = (config.ROOT / 'docs' / 'trading.md').read_text()
    examples = BLOCK.findall(doc)
    assert len(examples) >= 8
    with psycopg.connect(db_url) as conn:
        for sql_text, expected in examples:
            output = ''
            for statement in filter(None, (s.strip() for s in sql_text.split(';\n'))):
                if expected.startswith('ERROR'):
                    # Only an example that shows an error runs in a savepoint (the request context is
                    # bound to the transaction, not to a subtransaction).
                    try:
                        with conn.transaction():
                            conn.execute(statement.rstrip(';'))
                    except psycopg.Error as err:
                        output = f'ERROR {err.sqlstate}'
                else:
                    output = render(conn.execute(statement.rstrip(';')))
            if expected:
                assert output == expected.strip(), f'{sql_text}\n--- got ---\n{output}'
        assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
        conn.rollback()
