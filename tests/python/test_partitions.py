"""The partition manager: ensure (idempotent, dry-run, default drain), retention modes, intervals, pruning."""

import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from psycopg import sql

from tradebase import cli, partitions

QUIET = {'echo': lambda _line: None}
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def t(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.fixture
def events(conn):
    """A monthly set with an identity column and an append-only guard trigger, registered for the test."""
    conn.execute(
        """
        set role tradebase_owner;
        create table ops.test_events (
            id bigint generated always as identity,
            at timestamptz not null,
            note text,
            primary key (id, at)
        ) partition by range (at);
        create function ops.test_events_no_delete() returns trigger language plpgsql as $$
        begin
            raise exception 'test_events is append-only';
        end $$;
        create trigger test_events_append_only before delete on ops.test_events
            for each row execute function ops.test_events_no_delete();
        reset role;
        insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake)
        values ('ops.test_events', 'at', 'month', 2);
        """
    )
    yield 'ops.test_events'
    conn.execute(
        """
        delete from ops.partitioned_tables where parent_table = 'ops.test_events';
        drop table ops.test_events;
        drop function ops.test_events_no_delete();
        drop schema if exists test_archive cascade;
        do $$
        declare r record;
        begin  -- children the detach test left behind
            for r in
                select oid::regclass::text as t from pg_class
                where relkind = 'r' and relname ~ '^test_events_p[0-9]'
            loop
                execute 'drop table ' || r.t;
            end loop;
        end $$;
        """
    )


def child_bounds(conn, parent: str) -> list[tuple]:
    return conn.execute(
        'select child, is_default, lower_bound, upper_bound from ops.partition_children(%s::regclass)',
        [parent],
    ).fetchall()


def test_migrate_made_the_market_data_children_and_default(conn):
    kids = child_bounds(conn, 'market.market_data')
    assert ('market.market_data_default', True, None, None) in kids
    assert len([k for k in kids if not k[1]]) >= 4  # the current month and premake 3 ahead


def test_ensure_is_idempotent(db_url, conn, events):
    first = partitions.ensure(db_url, table=events, now=NOW, **QUIET)
    assert len(first) == 1 + 3  # default, November, and two months ahead
    assert partitions.ensure(db_url, table=events, now=NOW, **QUIET) == []
    assert [(k[2], k[3]) for k in child_bounds(conn, events) if not k[1]] == [
        (t(2026, 11), t(2026, 12)),
        (t(2026, 12), t(2027, 1)),
        (t(2027, 1), t(2027, 2)),
    ]


def test_concurrent_ensure_runs_serialise(db_url, conn, events):
    results, failures = [], []

    def run():
        try:
            results.append(partitions.ensure(db_url, table=events, now=NOW, **QUIET))
        except Exception as err:  # collected and asserted below
            failures.append(err)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(len(r) for r in results) == [0, 0, 4], 'one run made everything, the others found it done'


def test_dry_run_prints_exactly_what_ensure_runs(db_url, conn, events):
    printed = []
    planned = partitions.ensure(db_url, table=events, now=NOW, dry_run=True, echo=printed.append)
    assert child_bounds(conn, events) == [], 'a dry run changes nothing'
    assert printed == [s.rstrip() for s in planned]
    assert partitions.ensure(db_url, table=events, now=NOW, **QUIET) == planned


def test_children_get_rls_and_no_app_or_analyst_privileges(db_url, conn, events):
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)
    for child, *_ in child_bounds(conn, events):
        row = conn.execute(
            """
            select c.relrowsecurity, c.relowner::regrole::text,
                has_table_privilege('tradebase_app', c.oid, 'select, insert, update, delete'),
                has_table_privilege('tradebase_analyst', c.oid, 'select, insert, update, delete')
            from pg_class as c where c.oid = %s::regclass
            """,
            [child],
        ).fetchone()
        assert row == (True, 'tradebase_owner', False, False), child


def test_rows_in_the_default_move_into_the_new_child(db_url, conn, events):
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)
    conn.execute(
        """
        insert into ops.test_events (at, note)
        select timestamptz '2024-03-01' + n * interval '1 day', 'old ' || n from generate_series(0, 40) as n
        """
    )
    assert conn.execute('select count(*) from ops.test_events_default').fetchone()[0] == 41
    before = conn.execute('select id, at, note from ops.test_events order by id').fetchall()

    plan = partitions.ensure(db_url, table=events, now=NOW, dry_run=True, **QUIET)
    assert [s.count('delete from') for s in plan] == [1, 1], 'March and April 2024 are drained'
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)

    assert conn.execute('select count(*) from ops.test_events_default').fetchone()[0] == 0
    assert conn.execute('select count(*) from ops.test_events_p2024_03').fetchone()[0] == 31
    assert conn.execute('select count(*) from ops.test_events_p2024_04').fetchone()[0] == 10
    assert conn.execute('select id, at, note from ops.test_events order by id').fetchall() == before
    with pytest.raises(psycopg.errors.RaiseException):
        conn.execute('delete from ops.test_events')  # the guard is back on after the move


def test_year_interval_on_a_date_key(db_url, conn):
    conn.execute(
        """
        set role tradebase_owner;
        create table ops.test_yearly (day date not null, v int) partition by range (day);
        reset role;
        insert into ops.partitioned_tables (parent_table, key_column, partition_interval, premake)
        values ('ops.test_yearly', 'day', 'year', 1);
        """
    )
    try:
        partitions.ensure(db_url, table='ops.test_yearly', now=NOW, **QUIET)
        conn.execute(
            "insert into ops.test_yearly values ('2026-12-31', 1), ('2027-01-01', 2), ('2020-06-01', 3)"
        )
        partitions.ensure(db_url, table='ops.test_yearly', now=NOW, **QUIET)
        assert child_bounds(conn, 'ops.test_yearly') == [
            ('ops.test_yearly_default', True, None, None),
            ('ops.test_yearly_p2020', False, t(2020, 1), t(2021, 1)),
            ('ops.test_yearly_p2026', False, t(2026, 1), t(2027, 1)),
            ('ops.test_yearly_p2027', False, t(2027, 1), t(2028, 1)),
        ]
        assert conn.execute('select v from ops.test_yearly_p2027').fetchall() == [(2,)]
        assert conn.execute('select count(*) from ops.test_yearly_default').fetchone()[0] == 0
    finally:
        conn.execute("delete from ops.partitioned_tables where parent_table = 'ops.test_yearly'")
        conn.execute('drop table ops.test_yearly')


@pytest.mark.parametrize('mode', ['detach', 'archive', 'drop'])
def test_retention_by_real_bounds_never_the_newest(db_url, conn, events, mode):
    conn.execute(
        """
        update ops.partitioned_tables
        set retention = interval '6 months', retention_mode = %s, archive_schema = %s
        where parent_table = 'ops.test_events'
        """,
        [mode, 'test_archive' if mode == 'archive' else None],
    )
    partitions.ensure(db_url, table=events, now=t(2025, 1, 15), **QUIET)  # 2025-01 .. 2025-03
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)  # 2026-11 .. 2027-01
    conn.execute("insert into ops.test_events (at, note) values ('2025-02-10', 'kept until retired')")

    # At 2026-09-01 the cutoff is 2026-03-01: the three 2025 children are past it.
    plan = partitions.retention(db_url, table=events, now=t(2026, 9), dry_run=True, **QUIET)
    assert len(plan) == 3
    assert partitions.retention(db_url, table=events, now=t(2026, 9), **QUIET) == plan
    assert partitions.retention(db_url, table=events, now=t(2026, 9), **QUIET) == []
    left = [k[0] for k in child_bounds(conn, events)]
    assert left == [
        'ops.test_events_default',
        'ops.test_events_p2026_11',
        'ops.test_events_p2026_12',
        'ops.test_events_p2027_01',
    ]
    schema = 'test_archive' if mode == 'archive' else 'ops'
    retired = conn.execute('select to_regclass(%s)', [f'{schema}.test_events_p2025_02']).fetchone()[0]
    if mode == 'drop':
        assert retired is None
    else:
        query = sql.SQL('select note from {}').format(sql.Identifier(schema, 'test_events_p2025_02'))
        assert conn.execute(query).fetchall() == [('kept until retired',)]

    # Far in the future every child is past retention, yet the newest stays.
    partitions.retention(db_url, table=events, now=t(2040, 1), **QUIET)
    assert [k[0] for k in child_bounds(conn, events)] == [
        'ops.test_events_default',
        'ops.test_events_p2027_01',
    ]


def test_list_reports_health(db_url, conn, events, capsys, monkeypatch):
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)
    conn.execute("insert into ops.test_events (at) values ('2001-01-01'), ('2001-02-01')")
    (h,) = partitions.health(db_url, table=events)
    assert (h.children, h.default_rows, h.covered_until) == (3, 2, t(2027, 2))
    assert h.oldest.name == 'ops.test_events_p2026_11'

    monkeypatch.setenv('DATABASE_URL', db_url)
    assert cli.main(['partitions', 'list', '--table', events]) == 0
    out = capsys.readouterr().out
    assert '3 children, 2 row(s) in default, covered until 2027-02-01, oldest ops.test_events_p2026_11' in out
    assert cli.main(['partitions', 'ensure', '--table', events, '--dry-run']) == 0
    assert '"ops"."test_events_p2001_01"' in capsys.readouterr().out
    assert cli.main(['partitions', 'retention', '--table', 'ops.nope']) == 2


def test_one_symbol_one_month_touches_one_partition(db_url, conn):
    sec = conn.execute("select api.upsert_security('PRUNE', 'Pruning Inc', 'stock')").fetchone()[0]
    with conn.transaction():
        pset = partitions.registered(conn, 'market.market_data')[0]
        partitions.ensure_set(conn, pset, cover=(t(2024, 1), t(2024, 6)))
    conn.execute(
        """
        insert into market.market_data (security_id, timeframe, ts, open, high, low, close, volume)
        select %s, '1d', d, 10, 11, 9, 10.5, 100
        from generate_series(timestamptz '2024-01-01', '2024-06-30', interval '1 day') as d
        on conflict do nothing
        """,
        [sec],
    )
    conn.execute('analyze market.market_data')
    plan = conn.execute(
        "explain (format json) select * from market.bars('PRUNE', '1d', '2024-03-01', '2024-04-01')"
    ).fetchone()[0]
    text = json.dumps(plan)
    scanned = {rel for rel in partitions_in(plan) if rel.startswith('market_data')}
    assert scanned == {'market_data_p2024_03'}, text
    rows = conn.execute(
        "select count(*) from market.bars('PRUNE', '1d', '2024-03-01', '2024-04-01')"
    ).fetchone()
    assert rows == (31,)


def test_latest_price_skips_children_after_p_at(db_url, conn):
    """latest_price is not inlinable (two branches), so auto_explain shows the plan it runs."""
    test_one_symbol_one_month_touches_one_partition(db_url, conn)
    plans = []
    conn.add_notice_handler(lambda diag: plans.append(diag.message_primary or ''))
    conn.execute("load 'auto_explain'")
    conn.execute('set auto_explain.log_nested_statements = on')
    conn.execute('set auto_explain.log_min_duration = 0')
    conn.execute('set client_min_messages = log')
    price = conn.execute("select market.latest_price('PRUNE', '2024-02-10 12:00+00')").fetchone()[0]
    conn.execute('set client_min_messages = notice')
    assert price == Decimal('10.5')
    plan = next(p for p in plans if 'market_data' in p)
    assert 'market_data_p2024_02' in plan
    assert 'Subplans Removed' in plan
    for later in ('p2024_03', 'p2024_06', f'p{NOW:%Y_%m}'):  # the default may hold any ts, so it stays
        assert f'market_data_{later}' not in plan, plan


def partitions_in(node) -> list[str]:
    if isinstance(node, list):
        return [r for n in node for r in partitions_in(n)]
    if isinstance(node, dict):
        found = [node['Relation Name']] if 'Relation Name' in node else []
        return found + [r for v in node.values() for r in partitions_in(v)]
    return []


def test_retention_cutoff_uses_the_upper_bound(db_url, conn, events):
    conn.execute(
        "update ops.partitioned_tables set retention = interval '1 month', retention_mode = 'drop' "
        "where parent_table = 'ops.test_events'"
    )
    partitions.ensure(db_url, table=events, now=NOW, **QUIET)
    # December ends 2027-01-01, so with one month of retention it goes at 2027-02-01, not a second before.
    edge = t(2027, 2) - timedelta(seconds=1)
    assert len(partitions.retention(db_url, table=events, now=edge, dry_run=True, **QUIET)) == 1
    assert len(partitions.retention(db_url, table=events, now=t(2027, 2), dry_run=True, **QUIET)) == 2
