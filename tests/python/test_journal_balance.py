"""The journal-balance guarantee holds at commit whatever a session sets (issue 14 §4): no setting exempts a
posting, and a journal written over several statements is checked whole."""

import psycopg
import pytest

INSERT = (
    'insert into trading.transactions (journal_id, account_id, currency, amount, kind) '
    "values (%s, trading.system_account('external_cash', 'USD'), 'USD', %s, 'adjustment')"
)


def postings(conn, journal: int) -> int:
    query = 'select count(*) from trading.transactions where journal_id = %s'
    return conn.execute(query, [journal]).fetchone()[0]


def test_no_session_setting_lets_an_unbalanced_journal_commit(conn):
    journal = conn.execute("select nextval('trading.journal_id_seq')").fetchone()[0]
    with pytest.raises(psycopg.Error) as caught, conn.transaction():
        # The marker the writers used to set, and the check's own memo, named for this very journal.
        conn.execute('select set_config(%s, %s, true)', ['trading.journal_checked', str(journal)])
        conn.execute('select set_config(%s, %s, true)', ['trading.journal_summed', f'{journal}:{2**63 - 1}'])
        conn.execute(INSERT, [journal, 1])
    assert caught.value.sqlstate == 'TB041'
    assert postings(conn, journal) == 0


def test_a_journal_balanced_over_two_statements_commits(conn):
    journal = conn.execute("select nextval('trading.journal_id_seq')").fetchone()[0]
    with conn.transaction():
        conn.execute(INSERT, [journal, 5])
        conn.execute(INSERT, [journal, -5])
    assert postings(conn, journal) == 2
    assert conn.execute('select count(*) from trading.journals_to_check').fetchone()[0] == 0
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
