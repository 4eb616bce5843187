"""The fuzz gate (DESIGN §8, issue 13 §4): every function of schema `api`, read from pg_proc (no list
to maintain: a new function is called the day it is added, and an argument type without a strategy
fails test_every_api_function_can_be_generated), is called with hostile values per argument type.

How: first a deterministic sweep — every hostile constant of each argument's type (NULL, NaN,
±Infinity, 0, -0, 1e30, 1e-30, 20-decimal numbers, empty and 10 KB strings, quotes, `;--`,
backslashes, bidi and zero-width characters, random and other users' ids, far past and future
timestamps, malformed and deeply nested jsonb, …), one argument at a time, the others at a baseline
the function accepts; then hypothesis (derandomized) draws whole calls: all plausible, plausible but
for one hostile argument, or all hostile, under hostile session settings (TimeZone, DateStyle). As an
app login authenticated as a user (api.authenticate in the call's transaction), anonymously, and as
support staff (api.act_as); operator-only functions are swept as support staff.

The calls draw ids from a world of two users made through the api (api_fuzz.Harness.make_user): the
caller, and a victim whose objects the caller must not reach; each with one object of every kind the
api makes, the set-up's objects first among the candidates. Each user is also a fund manager and a
KYC-verified investor in a fund of their own (a dealt subscription with its lot, a position, a pending
subscription and redemption; a paused and a closed fund besides), so that p_fund_id and p_flow_id name
real funds and flows and fund calls get past the role, KYC and ownership checks (FUND_LOGIC must each
succeed once as the user); the caller's roles and fund are restored before each function is fuzzed.

Each call runs in its own transaction and must either succeed or raise a SQLSTATE of docs/errors.md's
table (parsed from the file), or one of the standard codes that type input raises while parameters
are bound, before any function code runs (api_fuzz.BOUNDARY_CODES, each with its reason; the same
code raised inside a function is a defect). Never an internal error, an undocumented code, a P0004,
a change left behind by a failed call (a fingerprint of every table of the state schemas, compared
on a superuser connection before and after: row counts and the sum of row hashes; audit.log, which
refuses updates and deletes, by count and max(id) — a failed call rolls its audit rows back like
everything else, so audit.log must not move either), a change to another user's rows or one of
their ids in the result of a plain user's call (unless the row-level security of its table shows it
to the caller: an active fund is everyone's), an acting user that outlives its transaction, a
session advisory lock left held, or (anonymously) anything but TB008/42501 from a function other
than register_user, login and authenticate. At the end `ops.verify_invariants()` is empty.

`make test` runs a short run (about 5,000 calls); `make fuzz` runs only this file with TB_FUZZ_EXAMPLES
raised and every hostile text in every text argument. The summary (calls and SQLSTATEs per function
and context) is printed; run with -s to see it when the gate passes, TB_FUZZ_TRACE=1 to see every call.
"""

import uuid

import api_fuzz
import psycopg
import pytest
from api_fuzz import ApiFunction, Harness, Recorder
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from psycopg import sql

from conftest import role_url

# Examples per function in each context, for `make test`; TB_FUZZ_EXAMPLES sets the user context's
# count and the others follow in proportion.
USER_EXAMPLES = api_fuzz.examples_per_function(30)
ADMIN_EXAMPLES = max(4, USER_EXAMPLES // 3)
ANON_EXAMPLES = max(3, USER_EXAMPLES // 5)
# The long run (make fuzz) sweeps every text constant through every text argument.
FULL_SWEEP = USER_EXAMPLES >= 100
# Fund functions whose logic lies behind the role, KYC and ownership checks: each must succeed at least
# once as the user, or the fund world the harness builds is broken (the gate would only see refusals).
FUND_LOGIC = ('subscribe', 'redeem', 'cancel_fund_flow', 'strike_nav', 'fund_trade', 'set_fund_status')


@pytest.fixture(scope='module')
def functions(db_url: str) -> list[ApiFunction]:
    with psycopg.connect(db_url) as conn:
        return api_fuzz.load_api_functions(conn)


def draw_arguments(data: st.DataObject, harness: Harness, fn: ApiFunction) -> list:
    """Values for FN's arguments: all plausible, plausible but for one hostile argument, or all hostile.
    Arguments with defaults may be left out (named calls; positional calls leave out a suffix)."""
    harness.pools()
    mode = data.draw(
        st.sampled_from(['plausible', 'one hostile', 'one hostile', 'all hostile']), label='mode'
    )
    hostile_at = data.draw(st.integers(0, max(0, len(fn.args) - 1)), label='hostile argument')
    named = all(a.name for a in fn.args)
    defaults = sum(a.has_default for a in fn.args)
    omit_tail = 0 if named or not defaults else data.draw(st.integers(0, defaults), label='omitted suffix')
    present = []
    for i, arg in enumerate(fn.args):
        if (
            named
            and arg.has_default
            and data.draw(st.sampled_from([True, True, False]), label=f'omit {arg.name}')
        ):
            continue
        if i >= len(fn.args) - omit_tail:
            break
        values = harness.values(fn, arg)
        hostile = mode == 'all hostile' or (mode == 'one hostile' and i == hostile_at)
        present.append((arg, data.draw(values.hostile() if hostile else values.plausible(), label=arg.name)))
    return present


def fuzz(harness: Harness, fn: ApiFunction, context: str, examples: int) -> None:
    harness.restore_fund_roles()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one_call(data):
        present = draw_arguments(data, harness, fn)
        session = data.draw(st.sampled_from(api_fuzz.HOSTILE_SESSIONS), label='session settings')
        harness.run_call(context, fn, present, session)

    one_call()


def test_every_api_function_can_be_generated(functions):
    """The gate covers a new function the day it is added: a type without a strategy fails here."""
    assert len(functions) > 30, 'schema api looks empty: is the catalog read from the right database?'
    assert api_fuzz.unsupported_arguments(functions) == []


def test_the_boundary_allow_list_is_not_documented_twice():
    documented = api_fuzz.documented_sqlstates()
    assert set(api_fuzz.BOUNDARY_CODES).isdisjoint(documented)
    assert {'22023', '42501', 'TB008'} <= set(documented)


CANARIES = {
    # raises a code docs/errors.md does not list
    'fuzz_canary_raise(p_n integer default 1) returns integer language plpgsql as '
    "$$ begin raise exception 'canary %', p_n using errcode = 'P0001'; end $$": 'tradebase_app',
    # refuses with a documented code, but leaves a session advisory lock behind
    'fuzz_canary_lock(p_n integer) returns integer language plpgsql as $$ begin '
    "perform pg_advisory_lock(4242); raise exception 'no' using errcode = '22023'; end $$": 'tradebase_app',
    # succeeds, for anyone
    'fuzz_canary_ok(p_n integer) returns integer language sql as $$ select p_n $$': 'tradebase_app',
    # an argument type the generator has no strategy for
    'fuzz_canary_type(p_t tsvector) returns integer language sql as $$ select 1 $$': None,
}


@pytest.fixture
def canaries(db_url):
    """Functions that break the gate's rules on purpose, in schema api while a test runs."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        for definition, grantee in CANARIES.items():
            conn.execute(f'create function api.{definition}')
            name = definition.split('(')[0]
            if grantee:
                conn.execute(f'grant execute on function api.{name} to {grantee}')
        found = {f.name: f for f in api_fuzz.load_api_functions(conn) if f.name.startswith('fuzz_canary')}
        try:
            yield found
        finally:
            for name in found:
                conn.execute(f'drop function api.{name}')


def test_the_gate_reports_what_it_should(db_url, canaries):
    """The gate breaks on purpose: each rule it checks is broken by a canary and reported."""
    assert any(
        'fuzz_canary_type' in u and 'tsvector' in u
        for u in api_fuzz.unsupported_arguments([*canaries.values()])
    )
    recorder = Recorder()
    harness = Harness(db_url, role_url(db_url, 'tb_test_app'), role_url(db_url, 'tb_test_admin'), recorder)
    try:
        fuzz(harness, canaries['fuzz_canary_raise'], 'user', 3)
        ok, lock = canaries['fuzz_canary_ok'], canaries['fuzz_canary_lock']
        harness.run_call('anon', ok, [(ok.args[0], 1)])
        harness.run_call('user', lock, [(lock.args[0], 1)])
        # A failed call that leaves a change, and a call that changes another user's rows, cannot be
        # written in SQL without an autonomous transaction: the fingerprint after the call is doctored.
        fingerprint = harness.fingerprint

        def doctored(position: int):
            def after():
                prints = fingerprint()
                row = list(prints['trading.orders'])
                row[position] = -1
                prints['trading.orders'] = tuple(row)
                return prints

            return after

        for position, canary in ((1, lock), (3, ok)):
            harness._last_fp = fingerprint()
            harness.fingerprint = doctored(position)
            harness.run_call('user', canary, [(canary.args[0], 1)])
            harness.fingerprint = fingerprint
    finally:
        harness.close()
    found = {(f.kind, f.context, f.function, f.sqlstate) for f in recorder.findings.values()}
    assert found == {
        ('undocumented SQLSTATE (inside the function)', 'user', 'fuzz_canary_raise', 'P0001'),
        ('anonymous call succeeded', 'anon', 'fuzz_canary_ok', None),
        ('advisory lock left held after the call', 'user', 'fuzz_canary_lock', None),
        ('half-done: a failed call left changes', 'user', 'fuzz_canary_lock', '22023'),
        ("changed another user's rows", 'user', 'fuzz_canary_ok', None),
    }
    raised = [f for f in recorder.findings.values() if f.function == 'fuzz_canary_raise']
    assert sum(f.count for f in raised) == sum(recorder.calls[('user', 'fuzz_canary_raise')].values())
    assert all(f.example.startswith('api.fuzz_canary_raise(') for f in raised)


@pytest.mark.parametrize('name', ['account_balance', 'start_trading_session', 'end_trading_session'])
@pytest.mark.parametrize('account', [None, uuid.UUID(int=0)], ids=['null', 'unknown'])
def test_anonymous_callers_are_refused_before_the_account_is_looked_up(db_url, name, account):
    """Found by the gate: these functions looked the account up in their declarations, before
    auth.require_scope, so an anonymous caller got 22023 or P0002 (learning whether an account
    exists) instead of TB008."""
    query = sql.SQL('select api.{}(%s::uuid)').format(sql.Identifier(name))
    with (
        psycopg.connect(role_url(db_url, 'tb_test_app'), autocommit=True) as app,
        pytest.raises(psycopg.Error) as caught,
    ):
        app.execute(query, [account])
    assert caught.value.sqlstate == 'TB008', caught.value.diag.message_primary


def test_hostile_calls_of_every_api_function(db_url, functions):
    assert not api_fuzz.unsupported_arguments(functions), 'see test_every_api_function_can_be_generated'
    recorder = Recorder()
    harness = Harness(db_url, role_url(db_url, 'tb_test_app'), role_url(db_url, 'tb_test_admin'), recorder)
    try:
        harness.prepare_terms(functions)
        for fn in functions:
            harness.sweep(fn, every_text_constant=FULL_SWEEP)
        for context, examples in (
            ('user', USER_EXAMPLES),
            ('anon', ANON_EXAMPLES),
            ('admin', ADMIN_EXAMPLES),
        ):
            for fn in functions:
                fuzz(harness, fn, context, examples)
        violated = harness.invariants()
    finally:
        harness.close()
    for name, detail in violated:
        recorder.findings[('invariant', name, detail)] = api_fuzz.Finding(
            'invariant violated after the run',
            'all',
            'ops.verify_invariants',
            None,
            f'{name}: {detail}',
            '',
            1,
        )
    print()
    print(recorder.summary())
    if harness.setup_problems:
        print('setup steps that failed (the pools lack those objects):')
        print('\n'.join(f'  {p}' for p in dict.fromkeys(harness.setup_problems)))
    print(recorder.report())
    assert not recorder.findings, recorder.report()
    # The fund world (api_fuzz.Harness._make_fund) is reached: calls as the user get past the role, KYC
    # and ownership checks into the subscribe, redeem, cancel, strike, trade and status logic.
    unreached = [name for name in FUND_LOGIC if not recorder.calls.get(('user', name), {}).get('ok')]
    assert not unreached, f'no call as the user succeeded: {unreached}; setup: {harness.setup_problems[-5:]}'
