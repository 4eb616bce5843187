"""`tradebase worker`: runs the event outbox's consumers (docs/events.md).

Each enabled row of `notify.consumers` (in the order their `after_consumer` needs) runs in batches: one
transaction per batch, `select notify.consume(name, batch_size)`, which claims the events (FOR UPDATE SKIP
LOCKED), applies the consumer's handler and records its progress in that same transaction. So a worker killed
mid-batch leaves nothing half-done: its transaction rolls back and the next run takes the batch again.

Between passes the worker waits on LISTEN `tradebase_outbox` (an empty NOTIFY from `notify.wake_worker`,
sent at commit by event writers off the hot path) and polls every `poll_interval` seconds as well, since the
fill path does not NOTIFY. SIGTERM or SIGINT stop it cleanly: the batch in flight finishes (commits), then it
exits 0.

Where the database has `ops.run_due_jobs` (docs/jobs.md), the worker also runs the due scheduled jobs every
`jobs_interval` seconds, in a transaction of its own (never inside a consumer's batch), and logs each job run.
"""

import signal
import sys
import time
from collections.abc import Callable
from typing import TextIO

import psycopg

from . import db

#: The channel event writers NOTIFY (no payload) to wake the worker.
CHANNEL = 'tradebase_outbox'
APPLICATION_NAME = 'tradebase worker'


def order_consumers(rows: list[tuple[str, str | None]]) -> list[str]:
    """Consumer names, each after the one it names in after_consumer (a consumer whose predecessor is
    disabled or missing runs last: it waits for that one's progress anyway)."""
    names = {name for name, _ in rows}
    after = dict(rows)
    done: list[str] = []
    pending = sorted(names)
    while pending:
        ready = [n for n in pending if after[n] is None or after[n] in done or after[n] not in names]
        if not ready:  # a cycle (the table forbids only self-reference): keep the rest in name order
            ready = pending
        done += ready
        pending = [n for n in pending if n not in ready]
    return done


class Worker:
    """Runs the outbox's consumers against one database until stopped."""

    def __init__(
        self,
        url: str,
        *,
        batch_size: int = 500,
        poll_interval: float = 0.5,
        jobs_interval: float | None = 30.0,
        out: TextIO = sys.stderr,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if batch_size < 1:
            raise ValueError('batch_size must be at least 1')
        if poll_interval <= 0:
            raise ValueError('poll_interval must be positive')
        self.url = url
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.jobs_interval = jobs_interval
        self.jobs_due_at = 0.0
        self.out = out
        self.clock = clock
        self.stopping = False

    def stop(self, *_args) -> None:
        """Ask the loop to end after the batch in flight (a signal handler)."""
        self.stopping = True

    def consumers(self, conn: psycopg.Connection) -> list[str]:
        rows = conn.execute('select name, after_consumer from notify.runnable_consumers()').fetchall()
        return order_consumers(rows)

    def drain(self, conn: psycopg.Connection, consumer: str) -> int:
        """Batches of one consumer until one comes back short (or the worker is stopping)."""
        total = 0
        while True:
            with conn.transaction():
                n = conn.execute('select notify.consume(%s, %s)', [consumer, self.batch_size]).fetchone()[0]
            total += n
            if n < self.batch_size or self.stopping:
                return total

    def run_once(self, conn: psycopg.Connection) -> dict[str, int]:
        """One pass over every enabled consumer; how many events each processed."""
        done = {}
        for consumer in self.consumers(conn):
            if self.stopping:
                break
            done[consumer] = self.drain(conn, consumer)
        return done

    def run_jobs(self, conn: psycopg.Connection) -> None:
        """ops.run_due_jobs() once, autocommit (docs/jobs.md), when it exists; logs each job run."""
        if self.jobs_interval is None or self.clock() < self.jobs_due_at:
            return
        self.jobs_due_at = self.clock() + self.jobs_interval
        if conn.execute("select to_regprocedure('ops.run_due_jobs(timestamptz)')").fetchone()[0] is None:
            return
        try:
            rows = conn.execute(
                'select job_name, period_start, status, error from ops.run_due_jobs()'
            ).fetchall()
        except psycopg.Error as err:
            print(f'tradebase worker: jobs: [{err.sqlstate}] {err}', file=self.out, flush=True)
            return
        for job, period, status, error in rows:
            detail = f': {error}' if error else ''
            print(
                f'tradebase worker: job {job} {period:%Y-%m-%d %H:%M} {status}{detail}',
                file=self.out,
                flush=True,
            )

    def run(self) -> int:
        with db.connection(self.url, autocommit=True, application_name=APPLICATION_NAME) as conn:
            conn.execute(f'listen {CHANNEL}')
            print(
                f'tradebase worker: listening on {CHANNEL}, polling every {self.poll_interval}s',
                file=self.out,
            )
            while not self.stopping:
                self.run_jobs(conn)
                done = self.run_once(conn)
                if any(done.values()):
                    summary = ', '.join(f'{name} {n}' for name, n in done.items() if n)
                    print(f'tradebase worker: processed {summary}', file=self.out, flush=True)
                if self.stopping:
                    break
                # Wake at the first NOTIFY, or after poll_interval at the latest.
                for _ in conn.notifies(timeout=self.poll_interval, stop_after=1):
                    pass
        print('tradebase worker: stopped', file=self.out, flush=True)
        return 0


def run(
    url: str, *, batch_size: int = 500, poll_interval: float = 0.5, jobs_interval: float | None = 30.0
) -> int:
    """Run a worker until SIGTERM or SIGINT; 0 on a clean stop."""
    worker = Worker(url, batch_size=batch_size, poll_interval=poll_interval, jobs_interval=jobs_interval)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    return worker.run()
