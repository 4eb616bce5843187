"""The ledger's partitioned tables are registered with the partition manager, and a past balance
reads one monthly child (plus the default) through its index."""


def test_ledger_tables_are_registered(conn):
    rows = conn.execute(
        'select parent_table, key_column, partition_interval from ops.partitioned_tables '
        "where parent_table like 'trading.%' order by 1"
    ).fetchall()
    assert ('trading.account_snapshots', 'snapshot_date', 'month') in rows
    assert ('trading.transactions', 'posted_at', 'month') in rows


def test_a_balance_lookup_touches_one_month(conn):
    # The first query of api.account_balance, for an account with postings.
    conn.execute("insert into auth.users (email, username) values ('part@example.com', 'ledger_part')")
    account = conn.execute(
        'select a.id from trading.accounts as a join auth.users as u on a.user_id = u.id where username = %s',
        ['ledger_part'],
    ).fetchone()[0]
    with conn.transaction(force_rollback=True):
        conn.execute('set local enable_seqscan = off')  # a one-row table; show that the index serves it
        plan = '\n'.join(
            r[0]
            for r in conn.execute(
                """
                explain (costs off)
                select t.balance_after from trading.transactions as t
                where t.account_id = %s and t.posted_at <= now()
                    and t.posted_at >= date_trunc('month', now(), 'UTC')
                order by t.posted_at desc, t.id desc limit 1
                """,
                [account],
            )
        )
    scans = [line.strip() for line in plan.splitlines() if ' on transactions_' in line]
    assert len(scans) == 1, plan  # this month's child only: later months and the empty default are pruned
    assert scans[0].startswith('->  Index Only Scan Backward using transactions_'), plan
