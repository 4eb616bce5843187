"""Cost of identity calls on a throwaway server: bcrypt registration at cost 12 and 4, and one app
transaction that authenticates and reads an RLS view (the per-request overhead of the signed context).

    .venv/bin/python scripts/bench_auth.py [--transactions 2000]
"""

import argparse
import time

from tradebase import db, migrate
from tradebase.cluster import Cluster, require_extensions


def per_call_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return 1000 * (time.perf_counter() - start) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--transactions', type=int, default=2000)
    args = parser.parse_args()
    cluster = Cluster.temporary(fast=True)
    try:
        cluster.start()
        url = db.create_database(cluster.url('postgres'), 'bench_auth')
        require_extensions(url)
        print('migrating ...', flush=True)
        migrate.migrate(url, echo=lambda *_: None)
        with db.connection(url, autocommit=True) as conn:
            for cost, n in (('12', 5), ('4', 50)):
                conn.execute("update auth.settings set value = %s where name = 'bcrypt_cost'", [cost])
                ms = per_call_ms(
                    lambda i, c=cost: conn.execute(
                        'select api.register_user(%s, %s, %s)',
                        [f'u{c}_{i}@bench.example', f'u{c}_{i}', 'long password 123'],
                    ),
                    n,
                )
                print(f'register_user at bcrypt cost {cost}: {ms:.1f} ms/user', flush=True)
            token = conn.execute("select api.login('u4_0', 'long password 123')").fetchone()[0]

            def request(_):
                with conn.transaction():
                    conn.execute('select api.authenticate(%s)', [token])
                    conn.execute('select count(*) from api.users')

            print(
                f'authenticate + RLS view read: {per_call_ms(request, args.transactions):.3f} ms/transaction'
            )
            baseline = per_call_ms(lambda _: conn.execute('select 1'), args.transactions)
            print(f'baseline select 1: {baseline:.3f} ms')
    finally:
        cluster.destroy()


if __name__ == '__main__':
    main()
