"""Every SQLSTATE an `api` function can raise is documented in its COMMENT (published in docs/schema.md).

Read from the catalog, for every function of schema `api`:
- the codes it raises: the literal codes of its own body (`app.raise_error('XXXXX', …)`, `raise … using
  errcode = 'XXXXX'`, `raise sqlstate 'XXXXX'`) and those of every project function it calls, transitively.
  PL/pgSQL callees come from plpgsql_check's `plpgsql_show_dependency_tb` (static SQL and expressions; no api
  path calls a function through EXECUTE), SQL-language ones from the schema-qualified calls in
  `pg_proc.prosrc`, an aggregate's from its support functions. Codes that table constraints and triggers
  raise are out of scope here.
- the codes its COMMENT names, which must all be in `app.error_codes`.

A code raised but not documented fails the test, except TB008 and TB010 and the 42501 of a forged context
(`app.current_context`), which docs/security.md documents once for every api function, and the entries of
ALLOWED: codes a helper raises in general but never for these callers, each with the reason read from the
code.
"""

import re
from dataclasses import dataclass

import psycopg

# Documented once for every api function in docs/security.md: TB008 (anonymous) and TB010 (scope missing),
# raised by auth.require_scope, and the 42501 of app.current_context for a forged, replayed or superseded
# context.
DOCUMENTED_ONCE_CODES = {'TB008', 'TB010'}
DOCUMENTED_ONCE_SOURCES = {('app.current_context', '42501')}


@dataclass(frozen=True)
class Allowed:
    """`codes` do not leave `function` (its own raises and its callees'): they cannot happen there.
    `callers`: when the reason rests on what the callers pass, the direct callers it was checked for (a new
    caller fails the test until someone reads it and adds it)."""

    function: str
    codes: frozenset
    reason: str
    callers: frozenset | None = None


ALLOWED = [
    Allowed(
        'trading.post_journal',
        frozenset({'TB041'}),
        'Every caller posts two lines of opposite amounts (-x, x) between two accounts of one currency (the '
        "system account it names is made for the user account's currency; transfer_cash and subscribe refuse "
        'other currencies first, TB044; fund.strike pays a redemption to the account redeem checked), so '
        'each currency sums to zero.',
        callers=frozenset(
            {
                'trading.move_cash',
                'trading.create_account',
                'trading.pay_dividend',
                'trading.pay_cash_in_lieu',
                'api.reset_paper_account',
                'api.subscribe',
                'fund.return_subscription',
                'fund.pay_management_fee',
                'fund.strike',
            }
        ),
    ),
    Allowed(
        'trading.create_account',
        frozenset({'TB040'}),
        'Its one journal (the initial balance) debits the system account paper_capital; post_journal checks '
        'the cash of user accounts only.',
    ),
    Allowed(
        'fund.return_subscription',
        frozenset({'22023', 'P0002', 'TB040'}),
        "It posts a pending subscription's stored amount (positive, within limits: the request posted it) "
        'back from the system account fund_subscriptions (made on first use, cash not checked) to the '
        "flow's account (a foreign key), so no amount, account or cash check of post_journal can fail.",
    ),
    Allowed(
        'fund.pay_management_fee',
        frozenset({'TB040'}),
        "Both callers pay at most the fund account's free cash (cash less reserved), read after locking it: "
        'fund.strike only when v_cash >= the fee, api.set_fund_status least(fee, free cash).',
        callers=frozenset({'fund.strike', 'api.set_fund_status'}),
    ),
    Allowed(
        'fund.strike',
        frozenset({'TB040'}),
        'Each journal debiting the fund account (performance fee, redemption and its fee) is paid only when '
        'the free cash it tracks (v_cash, read after locking the account) covers it, else it waits; a dealt '
        'subscription debits the system account fund_subscriptions.',
    ),
    Allowed(
        'api.reset_paper_account',
        frozenset({'TB040'}),
        "The reset journal brings the account's cash to its initial balance (never negative), from or to "
        'the system account paper_capital.',
    ),
    Allowed(
        'api.deposit',
        frozenset({'TB040'}),
        'The debited account is the system account external_cash: move_cash reads the available cash of user '
        'accounts only, and post_journal checks user accounts only.',
    ),
    Allowed(
        'notify.announce_pending',
        frozenset({'P0002'}),
        'It names the consumers notifications and wakeups, rows of notify.consumers that migrations insert '
        'and nothing deletes; notify.consume raises P0002 only for an unknown consumer.',
    ),
    Allowed(
        'trading.snapshot_accounts',
        frozenset({'P0002'}),
        "market.convert's P0002 (no FX rate) is caught by both blocks around trading.write_snapshots "
        '(when no_data_found) and sets the account aside.',
    ),
]

# The literal raises of a function body: app.raise_error('XXXXX', …), `raise … using errcode = 'XXXXX'`, and
# `raise sqlstate 'XXXXX'` (not `when sqlstate 'XXXXX'`, a handler).
RAISE_RE = re.compile(
    r"(?:raise_error\(\s*|errcode\s*=\s*|\braise\s+(?:exception\s+)?sqlstate\s+)'([0-9A-Z]{5})'",
    re.IGNORECASE,
)
# A call of app.raise_error whose code is not a literal would hide its code from the gate.
NONLITERAL_RE = re.compile(r"(?:perform|select|:=)\s*app\.raise_error\((?!\s*')", re.IGNORECASE)
# An SQLSTATE as a comment writes it: a project code (TBnnn, P0nnn) or a code of one of the standard classes
# that carry errors (22 data, 23 integrity, 42 access/syntax, 55 object state, 40 rollback, 53/54 resources,
# 57).
DOC_RE = re.compile(r'(?<![0-9A-Za-z_.,])((?:TB|P0|22|23|40|42|53|54|55|57)[0-9A-Z]{3})(?![0-9A-Za-z_])')


def call_graph(conn: psycopg.Connection):
    """(functions: oid -> (name, language, source, comment), calls: oid -> set of project oids it calls)."""
    rows = conn.execute(
        """
        select
            p.oid, p.pronamespace::regnamespace::text || '.' || p.proname, l.lanname, p.prosrc,
            p.prokind = 'a', p.prorettype in ('trigger'::regtype, 'event_trigger'::regtype),
            coalesce(pg_catalog.obj_description(p.oid, 'pg_proc'), '')
        from pg_proc as p
        join pg_language as l on l.oid = p.prolang
        where p.pronamespace::regnamespace::text = any(ops.project_schemas())
        """
    ).fetchall()
    schemas = conn.execute('select ops.project_schemas()').fetchone()[0]
    functions = {r[0]: (r[1], r[2], r[3] or '', r[6]) for r in rows}
    by_name: dict[str, set[int]] = {}
    for oid, (name, *_rest) in functions.items():
        by_name.setdefault(name, set()).add(oid)
    sql_call = re.compile(
        r'\b(' + '|'.join(map(re.escape, schemas)) + r')\.([a-z_][a-z_0-9]*)\s*\(', re.IGNORECASE
    )
    calls: dict[int, set[int]] = {}
    for oid, _name, lang, src, is_aggregate, is_trigger, _comment in rows:
        callees: set[int] = set()
        if is_aggregate:
            callees = {
                f
                for f in conn.execute(
                    'select aggtransfn::oid, aggfinalfn::oid, aggcombinefn::oid from pg_aggregate'
                    ' where aggfnoid = %s',
                    [oid],
                ).fetchone()
                if f
            }
        elif lang == 'plpgsql' and not is_trigger:  # trigger functions are fired, not called
            callees = {
                r[0]
                for r in conn.execute(
                    "select oid from plpgsql_show_dependency_tb(%s) where type in ('FUNCTION', 'PROCEDURE')",
                    [oid],
                )
            }
        elif lang == 'sql':  # SQL-language bodies here qualify every call
            for schema, fname in sql_call.findall(src or ''):
                callees |= by_name.get(f'{schema.lower()}.{fname.lower()}', set())
        calls[oid] = {c for c in callees if c in functions and c != oid}
    return functions, calls


def raised_codes(functions, calls):
    """oid -> {code: the shortest call chain to a function raising it literally}, ALLOWED and
    DOCUMENTED_ONCE_SOURCES applied where the code leaves the function named."""
    allowed = {}
    for entry in ALLOWED:
        allowed.setdefault(entry.function, set()).update(entry.codes)
    own = {}
    for oid, (name, _lang, src, _comment) in functions.items():
        # app.raise_error's own 'P0004' refuses unregistered codes, which the catalog lint
        # error_code_not_registered rules out; the code it raises is its caller's literal.
        codes = set() if name == 'app.raise_error' else set(RAISE_RE.findall(src))
        own[oid] = {c: [name] for c in codes if (name, c) not in DOCUMENTED_ONCE_SOURCES}
    raised = {
        oid: {c: chain for c, chain in own[oid].items() if c not in allowed.get(functions[oid][0], ())}
        for oid in functions
    }
    changed = True
    while changed:  # a fixpoint: the graph may have cycles
        changed = False
        for oid, callees in calls.items():
            name = functions[oid][0]
            for callee in callees:
                for code, chain in raised[callee].items():
                    if code in allowed.get(name, ()):
                        continue
                    if code not in raised[oid] or len(chain) + 1 < len(
                        raised[oid][code]
                    ):  # the shortest chain
                        raised[oid][code] = [name, *chain]
                        changed = True
    return raised


def documented(comment: str) -> set[str]:
    return set(DOC_RE.findall(comment))


def gate(conn: psycopg.Connection) -> list[str]:
    """Every violation, one line each: a code raised but not documented, a documented code that is not
    registered, a non-literal raise_error code, an allowlisted helper with an unchecked caller."""
    functions, calls = call_graph(conn)
    raised = raised_codes(functions, calls)
    registered = {r[0] for r in conn.execute('select sqlstate from app.error_codes')}
    problems = []
    for oid, (name, _lang, src, comment) in sorted(functions.items(), key=lambda kv: kv[1][0]):
        if NONLITERAL_RE.search(src) and name != 'app.raise_error':
            problems.append(f'{name}: calls app.raise_error with a code that is not a literal')
        if not name.startswith('api.'):
            continue
        doc = documented(comment)
        for code in sorted(doc - registered):
            problems.append(f'{name}: documents {code}, which is not in app.error_codes')
        for code, chain in sorted(raised[oid].items()):
            if code not in doc and code not in DOCUMENTED_ONCE_CODES:
                problems.append(f'{name}: raises {code} (via {" -> ".join(chain)}), not in its comment')
    names = {name for name, *_ in functions.values()}
    for entry in ALLOWED:
        if entry.function not in names:
            problems.append(f'ALLOWED names {entry.function}, which does not exist')
        if entry.callers is not None:
            actual = {
                functions[c][0]
                for c, callees in calls.items()
                for f in callees
                if functions[f][0] == entry.function
            }
            for caller in sorted(actual - entry.callers):
                problems.append(
                    f'ALLOWED {entry.function} {sorted(entry.codes)}: new caller {caller}, check the reason'
                )
    return problems


def test_every_raised_code_is_documented(conn):
    problems = gate(conn)
    assert not problems, f'{len(problems)} problems:\n' + '\n'.join(problems)


def test_the_gate_catches_an_undocumented_and_an_unregistered_code(conn):
    """A code dropped from a comment, one raised by a new helper two calls down, an unknown code."""
    with conn.transaction(force_rollback=True):
        conn.execute(
            "comment on function api.cancel_order(uuid) is 'Cancels an order. 22023, P0002, 42501, TB999.'"
        )
        conn.execute(
            """
            create function trading.tb_gate_probe() returns void language plpgsql as $$
            begin perform app.raise_error('TB046', 'probe'); end $$;
            create or replace function app.tb_gate_probe_sql() returns void language sql
            as $$ select trading.tb_gate_probe() $$;
            create or replace function api.tb_gate_probe() returns void language plpgsql as $$
            begin perform app.tb_gate_probe_sql(); end $$;
            comment on function api.tb_gate_probe() is 'A probe.';
            """
        )
        problems = gate(conn)
    assert any(p.startswith('api.cancel_order: raises TB061') for p in problems), problems
    assert 'api.cancel_order: documents TB999, which is not in app.error_codes' in problems
    assert any(
        p.startswith('api.tb_gate_probe: raises TB046 (via api.tb_gate_probe -> app.tb_gate_probe_sql')
        for p in problems
    ), problems
