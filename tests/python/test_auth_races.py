"""Concurrent identity calls of one user (issue 13 §3, "Races that leak 23505"): eight connections make the
same call at once, each holding its transaction open a moment after the call so that the others run into
it. Exactly one wins; the others get the documented error (never a raw unique violation, 23505), and what
the winner returned is what is stored.

Secrets against the data key: a credential or tax id encrypted while auth.rotate_data_key runs is
encrypted under the key the rotation leaves (the writer holds the key's row shared, so the rotation waits
for it and re-encrypts it, or it waits for the rotation), never under the old one, which nobody could
decrypt after."""

import hashlib
import threading
import time

import psycopg
import pytest

from conftest import role_url

RACERS = 8
ROUNDS = 3
PASSWORD = 'correct horse battery staple'


@pytest.fixture(scope='module')
def tokens(db_url):
    """One session per racer: api.authenticate may write its session's row, so racers sharing one session
    would queue on that row before the race starts."""
    with psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app:
        app.execute('select api.register_user(%s, %s, %s)', ['racer@races.example', 'racer', PASSWORD])
        return [
            app.execute('select api.login(%s, %s)', ['racer', PASSWORD]).fetchone()[0] for _ in range(RACERS)
        ]


def race(db_url: str, tokens: list[str], query: str, params: list) -> list[tuple[str, object]]:
    """Runs `query` on RACERS connections at once; each outcome is ('ok', result) or (sqlstate, message)."""
    barrier = threading.Barrier(RACERS, timeout=30)
    outcomes: list[tuple[str, object]] = []
    lock = threading.Lock()

    def run(token):
        with psycopg.connect(role_url(db_url, 'tb_test_app')) as conn:
            conn.execute('select api.authenticate(%s)', [token])
            conn.commit()
            conn.execute('select api.authenticate(%s)', [token])
            barrier.wait()
            try:
                result = conn.execute(query, params).fetchone()[0]
                time.sleep(0.2)  # the others reach the same rows while this transaction is still open
                conn.commit()
                outcome = ('ok', result)
            except psycopg.Error as err:
                conn.rollback()
                outcome = (err.sqlstate, str(err))
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == RACERS
    return outcomes


def winners_and_errors(outcomes) -> tuple[list, set[str]]:
    return [r for s, r in outcomes if s == 'ok'], {s for s, _ in outcomes if s != 'ok'}


@pytest.mark.parametrize('round_', range(ROUNDS))
def test_connect_platform_races(db_url, conn, tokens, round_):
    outcomes = race(db_url, tokens, "select api.connect_platform(%s, 'key', 'secret')", [f'racing{round_}'])
    winners, codes = winners_and_errors(outcomes)
    assert len(winners) == 1 and codes == {'TB009'}, outcomes
    live = conn.execute(
        "select count(*) from auth.platform_connections where platform = %s and status <> 'disconnected'",
        [f'racing{round_}'],
    ).fetchone()[0]
    assert live == 1


@pytest.mark.parametrize('round_', range(ROUNDS))
def test_create_api_key_races(db_url, conn, tokens, round_):
    outcomes = race(db_url, tokens, 'select api.create_api_key(%s)', [f'racing-{round_}'])
    winners, codes = winners_and_errors(outcomes)
    assert len(winners) == 1 and codes == {'22023'}, outcomes
    stored = conn.execute(
        'select key_hash from auth.api_keys where name = %s and revoked_at is null', [f'racing-{round_}']
    ).fetchall()
    assert [bytes(h) for (h,) in stored] == [hashlib.sha256(winners[0].encode()).digest()]


@pytest.mark.parametrize('round_', range(ROUNDS))
def test_enable_mfa_races(db_url, conn, tokens, round_):
    outcomes = race(db_url, tokens, "select api.enable_mfa('sms')", [])
    winners, codes = winners_and_errors(outcomes)
    assert len(winners) == 1 and codes == {'TB011'}, outcomes
    stored = conn.execute(
        'select s.backup_code_hashes from auth.user_security as s join auth.users as u on u.id = s.user_id'
        " where u.username = 'racer'"
    ).fetchone()[0]
    assert sorted(stored) == sorted(hashlib.sha256(c.encode()).hexdigest() for c in winners[0])
    with psycopg.connect(role_url(db_url, 'tb_test_app')) as app:
        app.execute('select api.authenticate(%s)', [tokens[0]])
        app.execute('select api.disable_mfa(%s)', [PASSWORD])


def writer_during_rotation(db_url: str, user, query: str, params: list) -> None:
    """`query` as `user` in a transaction held open while auth.rotate_data_key starts in another; the
    writer commits once the rotation waits for it (or, without the lock, has finished)."""
    rotated = []
    with psycopg.connect(db_url, autocommit=True) as c1, psycopg.connect(db_url, autocommit=True) as c2:
        c1.execute('begin')
        c1.execute('select api.act_as(%s)', [user])
        c1.execute(query, params)
        thread = threading.Thread(target=lambda: rotated.append(c2.execute('select auth.rotate_data_key()')))
        thread.start()
        with psycopg.connect(db_url, autocommit=True) as watcher:
            for _ in range(100):
                waiting = watcher.execute('select count(*) from pg_locks where not granted').fetchone()[0]
                if waiting or not thread.is_alive():
                    break
                time.sleep(0.02)
        c1.execute('commit')
        thread.join(30)
    assert len(rotated) == 1


@pytest.mark.parametrize('secret', ['credential', 'tax_id'])
def test_a_secret_written_during_a_key_rotation(db_url, conn, secret):
    user = conn.execute(
        'select api.register_user(%s, %s, %s)', [f'{secret}@rotation.example', f'rotating_{secret}', PASSWORD]
    ).fetchone()[0]
    if secret == 'credential':
        connect = "select api.connect_platform('rotating', 'the key', 'the secret')"
        writer_during_rotation(db_url, user, connect, [])
        stored = (
            'select auth.decrypt(p.api_key_encrypted) from auth.platform_credentials as p'
            ' inner join auth.platform_connections as c on p.connection_id = c.id where c.user_id = %s'
        )
        assert conn.execute(stored, [user]).fetchone()[0] == 'the key'
    else:
        writer_during_rotation(db_url, user, "select api.set_tax_id('AB-1234')", [])
        stored = 'select auth.decrypt(tax_id_encrypted) from auth.user_security where user_id = %s'
        assert conn.execute(stored, [user]).fetchone()[0] == 'AB-1234'


def test_invariants_hold(conn):
    assert conn.execute('select * from ops.verify_invariants()').fetchall() == []
