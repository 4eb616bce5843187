"""The machinery of the fuzz gate (tests/python/test_api_fuzz.py): the `api` functions read from the
catalog, a hypothesis strategy per argument type, the calls, and what each call is checked for.

Nothing here lists api functions: a function added to schema `api` is called the day it exists, and a
type the generator has no strategy for makes the gate fail (`unsupported_arguments`).
"""

import contextlib
import datetime as dt
import ipaddress
import os
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg
from hypothesis import strategies as st
from psycopg import sql
from psycopg.types.json import Jsonb

from tradebase import config

ROOT = Path(__file__).resolve().parents[2]
TRACE = bool(os.environ.get('TB_FUZZ_TRACE'))  # print every call and its outcome

# Schemas whose tables hold the project's state (fingerprinted, searched for ids and values): every
# project schema but the two that hold only functions and views.
STATE_SCHEMAS = tuple(s for s in config.SCHEMA_ORDER if s not in ('api', 'analytics'))

# Standard codes that type input raises while the call's parameters are bound, before any function
# code runs. Their error context is then only "unnamed portal parameter $n" (plus the JSON parser's
# "JSON data, line n"), which `at_call_boundary` checks; the same code raised inside a function is a
# defect. The generator sends every value with its exact Postgres type (Decimal, int, UUID, date, …),
# so only the deliberately malformed inputs below reach the boundary at all. Out-of-range values
# (22003, 22008) are never generated: they cannot be values of the argument's type, so a 22003 or
# 22008 the gate sees always comes from our code (an overflow in a computation) and is a defect.
BOUNDARY_CODES = {
    '22P02': 'invalid_text_representation: malformed jsonb text (and an unknown enum label) is refused by '
    "the type's input function while the parameter is bound",
    '22P05': 'untranslatable_character: jsonb text with a \\u0000 escape is refused by jsonb input',
    '54001': "statement_too_complex: jsonb nested deeper than the JSON parser's stack allows "
    '(~100,000 levels) is refused by jsonb input',
}

_BOUNDARY_LINE = re.compile(r'^(unnamed portal parameter \$\d+|JSON data, line \d+:)')

# DESIGN §3: "the caller is anonymous and can only register or log in" (authenticate logs in with a
# token). Every other function must refuse an anonymous caller first: TB008 (or 42501 where the
# function refuses the login role before it looks for a user, as operator-only functions do).
ANONYMOUS_FUNCTIONS = frozenset({'register_user', 'login', 'authenticate'})
ANONYMOUS_REFUSALS = frozenset({'TB008', '42501'})

# api.login records a failed attempt on whichever user the login names (DESIGN §3: 5 failures lock
# the account), whoever calls it: the one function allowed to change another user's rows.
WRITES_OTHER_USERS = frozenset({'login'})


def documented_sqlstates(path: Path = ROOT / 'docs' / 'errors.md') -> dict[str, str]:
    """The SQLSTATE -> name table of docs/errors.md: the doc is the source of truth."""
    rows = re.findall(r'^\|\s*`([0-9A-Z]{5})`\s*\|\s*([a-z_]+)\s*\|', path.read_text(), re.M)
    assert rows, f'no SQLSTATE table found in {path}'
    return dict(rows)


def at_call_boundary(err: psycopg.Error) -> bool:
    """True when the error was raised binding a parameter, before any function code ran."""
    context = err.diag.context or ''
    lines = [line for line in context.splitlines() if line.strip()]
    return bool(lines) and all(_BOUNDARY_LINE.match(line) for line in lines)


# --- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PgType:
    sql: str  # how the call casts its placeholder: format_type(oid, null)
    base: str  # after domains: 'numeric', 'text', 'uuid[]', 'enum', …
    element: 'PgType | None' = None
    labels: tuple[str, ...] = ()  # enum labels, literals of domain checks


@dataclass(frozen=True)
class Arg:
    name: str | None
    type: PgType
    has_default: bool
    variadic: bool


@dataclass(frozen=True)
class ApiFunction:
    name: str
    signature: str  # regprocedure
    kind: str  # prokind: f function, p procedure
    args: tuple[Arg, ...]
    words: tuple[str, ...]  # literals of its source and comment: enum values, json keys, prefixes
    nouns: tuple[str, ...] = ()  # plain words of its comment: what its ids may name ("two of your accounts")

    def __str__(self) -> str:
        return self.signature


_LITERAL = re.compile(r"'((?:[^']|'')*)'")
_WORD = re.compile(r'^[A-Za-z0-9_./:+-]{1,40}$')


def literals(text: str | None) -> list[str]:
    """Short quoted literals in SQL text (function bodies, comments, check constraints)."""
    out = []
    for raw in _LITERAL.findall(text or ''):
        value = raw.replace("''", "'")
        if _WORD.match(value):
            out.append(value)
    return out


def _comment_words(text: str | None) -> list[str]:
    return re.findall(r'\b[a-z]+_[a-z_]+\b', text or '') + literals(text)


def _resolve_type(conn: psycopg.Connection, oid: int, cache: dict[int, PgType]) -> PgType:
    if oid in cache:
        return cache[oid]
    typtype, basetype, elem, category, fmt = conn.execute(
        'select typtype, typbasetype, typelem, typcategory, format_type(oid, null) from pg_type '
        'where oid = %s',
        [oid],
    ).fetchone()
    if typtype == 'd':
        base = _resolve_type(conn, basetype, cache)
        checks = conn.execute(
            'select pg_get_constraintdef(oid) from pg_constraint where contypid = %s', [oid]
        ).fetchall()
        labels = tuple(dict.fromkeys(w for (d,) in checks for w in literals(d)))
        result = PgType(fmt, base.base, base.element, base.labels + labels)
    elif typtype == 'e':
        labels = conn.execute(
            'select enumlabel from pg_enum where enumtypid = %s order by enumsortorder', [oid]
        ).fetchall()
        result = PgType(fmt, 'enum', None, tuple(label for (label,) in labels))
    elif category == 'A' and elem:
        element = _resolve_type(conn, elem, cache)
        result = PgType(fmt, element.base + '[]', element, element.labels)
    else:
        result = PgType(fmt, fmt)
    cache[oid] = result
    return result


def load_api_functions(conn: psycopg.Connection) -> list[ApiFunction]:
    """Every routine of schema `api`, from pg_proc, with its input arguments resolved to base types."""
    rows = conn.execute(
        """
        select p.oid::regprocedure::text, p.proname, p.prokind, p.pronargdefaults,
               p.proargtypes::oid[], p.proargmodes::text[], p.proargnames, p.prosrc,
               obj_description(p.oid, 'pg_proc')
        from pg_proc as p
        where p.pronamespace = 'api'::regnamespace
        order by p.proname, p.oid
        """
    ).fetchall()
    cache: dict[int, PgType] = {}
    out = []
    for signature, name, kind, ndefaults, types, modes, names, src, comment in rows:
        if modes is None:
            in_names = (names or [None] * len(types))[: len(types)]
            in_modes = ['i'] * len(types)
        else:
            kept = [i for i, m in enumerate(modes) if m in ('i', 'b', 'v')]
            in_names = [(names or [None] * len(modes))[i] for i in kept]
            in_modes = [modes[i] for i in kept]
        first_default = len(types) - ndefaults
        args = tuple(
            Arg(
                name=in_names[i] or None,
                type=_resolve_type(conn, oid, cache),
                has_default=i >= first_default,
                variadic=in_modes[i] == 'v',
            )
            for i, oid in enumerate(types)
        )
        words = tuple(dict.fromkeys(literals(src) + _comment_words(comment)))
        nouns = tuple(dict.fromkeys(w.lower() for w in re.findall(r'\b[A-Za-z]{4,}\b', comment or '')))
        out.append(ApiFunction(name, signature, kind, args, words, nouns))
    return out


# --- values per type ---------------------------------------------------------------------------
#
# Three kinds of values per argument type: hostile constants (each one tried by the sweep, and drawn
# by hypothesis), hostile strategies (constants mixed with generated values), and plausible values
# (what a well-behaved app sends), so that a hostile value in one argument reaches the code behind the
# validation of the others. Values that depend on the database (ids, existing names) are read from
# the live Pools when drawn: hypothesis needs every example to make the same kinds of draws whatever
# the database holds, so a pool is drawn as an index.

TEXT_TYPES = ('text', 'character varying', 'character', 'citext', 'name', 'enum')
ZERO_UUID = uuid.UUID(int=0)
MAX_UUID = uuid.UUID(int=2**128 - 1)
TEN_KB = 10 * 1024
UTC = dt.UTC

HOSTILE_TEXT = (
    '',
    ' ',
    '\t\n',
    "'",
    "''",
    '"',
    '\\',
    '\\\\',
    '\\x00',
    '\\u0000',
    ';--',
    "';--",
    "'); drop table auth.users; --",
    '$$',
    '%s',
    '%',
    '_',
    '*',
    'null',
    'NULL',
    'NaN',
    'Infinity',
    '-1',
    '0',
    '1e30',
    '{}',
    '[]',
    'true',
    '\u202e',
    'abc\u202edef',
    '\u200b',
    'a\u200bb',
    '\ufeff',
    '\u2028',
    'é',
    'ǅ',
    '😀',
    'ünïcödé_名前',
    'x' * TEN_KB,
    "'" * TEN_KB,
    '\u202e' * (TEN_KB // 3),
    'é' * TEN_KB,
    'a' * 101,
    'a' * 257,
    'b' * 73,
    'tbs_',
    'tbk_',
    'tbs_' + 'A' * 43,
    'tbk_' + 'A' * 43,
)
WORD_MUTATIONS: tuple[Callable[[str], str], ...] = (
    str.upper,
    str.title,
    lambda w: f' {w}',
    lambda w: f'{w} ',
    lambda w: f'{w}\u200b',
    lambda w: f'\u202e{w}',
    lambda w: f"{w}'",
    lambda w: f'{w};--',
    lambda w: f'{w}\\',
    lambda w: w * 400,
)

NUMERIC_HOSTILE = tuple(
    Decimal(v)
    for v in (
        'NaN',
        'Infinity',
        '-Infinity',
        '0',
        '-0',
        '-1',
        '-0.01',
        '-1e30',
        '1e30',
        '1e-30',
        '0.12345678901234567890',
        '12345678901234567890.12345678901234567890',
        '9999999999999999.999999999',
        '9999999999999999.99999999',
        '99999999999999.99',
        '1e16',
        '1e15',
        '1e12',
        '1e-8',
        '0.000000001',
        '0.000000004',
        '0.000000005',
        '1e1000',
        '-1e1000',
        '1e-1000',
        '2147483648',
        '9223372036854775808',
    )
)
NUMERIC_PLAUSIBLE = tuple(
    Decimal(v)
    for v in ('1', '2', '5', '10', '50', '95', '100', '100.5', '1000', '100000', '0.5', '0.01', '1e6')
)
INT_LIMITS = {'smallint': 2**15, 'integer': 2**31, 'bigint': 2**63}
FLOAT_HOSTILE = (float('nan'), float('inf'), float('-inf'), 0.0, -0.0, 1e308, -1e308, 5e-324, -1.0)
INET_HOSTILE = (
    ipaddress.ip_address('0.0.0.0'),
    ipaddress.ip_address('255.255.255.255'),
    ipaddress.ip_address('::1'),
    ipaddress.ip_address('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'),
    ipaddress.ip_network('0.0.0.0/0'),
    ipaddress.ip_network('::/0'),
)
INTERVAL_HOSTILE = (
    dt.timedelta(0),
    dt.timedelta(days=-1),
    dt.timedelta(days=999_999_999),
    dt.timedelta(microseconds=1),
    'infinity',
    '-infinity',
    '178000000 years',
    '-178000000 years',
)
# Valid input beyond what a Python datetime or date holds, sent as text and cast to the argument's type.
TIMESTAMP_SPECIAL = (
    'infinity',
    '-infinity',
    '294276-12-31 23:59:59+00',
    '4713-01-01 00:00:00+00 BC',
    'epoch',
)
DATE_SPECIAL = ('infinity', '-infinity', '5874897-12-31', '4713-01-01 BC', 'epoch')
# Malformed or extreme jsonb sent as text: refused at the call boundary (22P02, 22P05, 54001) or,
# when valid, reaching the function as jsonb.
JSONB_TEXT = (
    '{',
    '[1,]',
    '{"a":}',
    '',
    'nul',
    "{'a': 1}",
    '{"a":"\\u0000"}',
    '"\\ud800"',
    '1e400',
    '-0',
    '{"a":1,"a":2}',
    '[' * 100 + ']' * 100,
    '[' * 10_000 + ']' * 10_000,
    '{"a":' * 5_000 + '1' + '}' * 5_000,
    '[' * 200_000 + ']' * 200_000,
    '{"' + 'k' * TEN_KB + '": "' + 'v' * TEN_KB + '"}',
)
JSON_HOSTILE_SCALARS = (
    None,
    -1,
    0,
    10**30,
    -(10**30),
    1e308,
    5e-324,
    '',
    'x' * TEN_KB,
    True,
    [None],
    {'a': {}},
)


def _int_edges(kind: str) -> list[int]:
    top = INT_LIMITS[kind]
    edges = [0, -1, 1, 2, 3, 4, 5, 10, 59, 60, 100, 1000, 10080, 10081, top - 1, -top, top - 2, -top + 1]
    if kind != 'smallint':
        edges += [1_000_000, 2**31 - 1, -(2**31)]
    return list(dict.fromkeys(edges))


def _near_now() -> list[dt.datetime]:
    now = dt.datetime.now(UTC).replace(microsecond=0)
    return [
        now + dt.timedelta(seconds=s)
        for s in (-86400 * 365, -86400, -60, -1, 0, 1, 60, 301, 86400, 86400 * 365)
    ]


TIMESTAMP_EDGES = (
    dt.datetime(1, 1, 1, tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    dt.datetime(1970, 1, 1, tzinfo=UTC),
    dt.datetime(2000, 2, 29, tzinfo=dt.timezone(dt.timedelta(hours=14))),
    dt.datetime(2000, 2, 29, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
)
DATE_EDGES = (dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1970, 1, 1), dt.date(2000, 2, 29))


def _near_today() -> list[dt.date]:
    today = dt.date.today()
    return [today + dt.timedelta(days=d) for d in (-3650, -365, -1, 0, 1, 365, 3650)]


@dataclass
class Pools:
    """What the generator draws from besides constants: real ids and values of the database now.
    The harness refreshes it in place, so strategies built once read the current state."""

    own_ids: list[tuple[str, uuid.UUID]] = field(default_factory=list)  # (schema.table, id) of the caller
    victim_ids: list[tuple[str, uuid.UUID]] = field(default_factory=list)  # another user's objects
    other_ids: list[tuple[str, uuid.UUID]] = field(default_factory=list)  # public and third-party objects
    # values of the text columns an argument names: stem -> (columns named exactly so, columns ending so)
    values_by_stem: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    check_literals: list[str] = field(default_factory=list)  # literals of check constraints (enum values)
    global_words: list[str] = field(default_factory=list)  # check-constraint literals, column names
    credentials: dict[str, list[str]] = field(default_factory=dict)  # password / login / token -> values

    def all_credentials(self) -> list[str]:
        return [v for values in self.credentials.values() for v in values]


def name_terms(arg: Arg, fn: ApiFunction) -> list[list[str]]:
    """What a uuid argument names, most specific first: p_account_id -> account; p_ids of
    mark_notifications_read -> the function's nouns; p_from of transfer_cash -> its comment's nouns."""
    stem = re.sub(r'^p_', '', arg.name or '')
    stem = re.sub(r'(^|_)ids?$', '', stem)
    tiers = [
        [w for w in stem.split('_') if len(w) > 2],
        [w for w in fn.name.split('_') if len(w) > 3],
        list(fn.nouns),
    ]
    return [[w[:-1] if w.endswith('s') else w for w in tier] for tier in tiers if tier]


def text_stem(arg: Arg) -> str:
    """What a text argument names, matched against column names: p_order_type -> 'order_type'."""
    return re.sub(r'^p_', '', arg.name or '')


def credential_kind(arg: Arg) -> str | None:
    stem = text_stem(arg)
    for kind, pattern in (('password', 'password'), ('login', 'login|email|username'), ('token', 'token')):
        if re.search(pattern, stem):
            return kind
    return None


def _matching(items: list[tuple[str, uuid.UUID]], tiers: list[list[str]]) -> list[uuid.UUID]:
    """The ids of the tables the first tier of terms that names any table names."""
    for terms in tiers:
        found = [i for table, i in items if any(t in table.split('.', 1)[1] for t in terms)]
        if found:
            return found
    return []


def from_pool(get: Callable[[], list], fallback: object = None) -> st.SearchStrategy:
    """An element of a list read when drawn (an index is what hypothesis draws)."""

    def pick(i: int) -> object:
        items = get()
        return items[i % len(items)] if items else fallback

    return st.integers(min_value=0, max_value=2**16).map(pick)


def _weighted(branches: list[tuple[int, st.SearchStrategy]]) -> st.SearchStrategy:
    return st.one_of([s for weight, s in branches for _ in range(weight)])


class Values:
    """The values of one argument (or array element) of one function: the hostile constants the sweep
    tries, the candidates its baseline is made of, and hostile and plausible strategies for hypothesis."""

    def __init__(self, pools: Pools, fn: ApiFunction, arg: Arg, t: PgType | None = None):
        self.pools, self.fn, self.arg = pools, fn, arg
        self.t = t or arg.type
        self.terms = name_terms(arg, fn)
        self.stem = text_stem(arg)
        self.words = list(dict.fromkeys([*self.t.labels, *fn.words])) or ['x']

    # ids
    def own(self) -> list[uuid.UUID]:
        return [i for _, i in self.pools.own_ids]

    def own_matching(self) -> list[uuid.UUID]:
        return _matching(self.pools.own_ids, self.terms) or self.own()

    def victim_matching(self) -> list[uuid.UUID]:
        return _matching(self.pools.victim_ids, self.terms) or [i for _, i in self.pools.victim_ids]

    def other_matching(self) -> list[uuid.UUID]:
        return _matching(self.pools.other_ids, self.terms) or [i for _, i in self.pools.other_ids]

    # text
    def by_stem(self) -> list[str]:
        exact, loose = self.pools.values_by_stem.get(self.stem, ([], []))
        return exact + loose

    def known(self) -> list[str]:
        """The likeliest valid values, in the order the function's source names them: values of the
        column the argument names (p_side -> orders.side) that the source mentions, else the source's
        literals that some check constraint allows (p_method of enable_mfa -> totp, sms, email), else
        the column's values, else the source's literals."""
        exact, loose = self.pools.values_by_stem.get(self.stem, ([], []))
        for values in (exact, loose):
            present = set(values)
            if mentioned := [w for w in self.fn.words if w in present]:
                return mentioned
        if exact:
            return exact
        allowed = set(self.pools.check_literals)
        if checked := [w for w in self.words if w in allowed]:
            return checked
        return loose or self.words

    def credentials(self) -> list[str]:
        kind = credential_kind(self.arg)
        return self.pools.credentials.get(kind, []) if kind else []

    # the three kinds of values
    def base(self) -> str:
        return self.t.base

    def constants(self) -> list:
        """Every hostile value the sweep tries in this argument."""
        b = self.base()
        if b in INT_LIMITS:
            return [None, *_int_edges(b)]
        if b == 'numeric':
            return [None, *NUMERIC_HOSTILE]
        if b in ('double precision', 'real'):
            return [None, *FLOAT_HOSTILE]
        if b == 'boolean':
            return [None]
        if b == 'date':
            return [None, *_near_today(), *DATE_EDGES, *DATE_SPECIAL]
        if b == 'timestamp with time zone':
            return [None, *_near_now(), *TIMESTAMP_EDGES, *TIMESTAMP_SPECIAL]
        if b in ('inet', 'cidr'):
            return [None, *INET_HOSTILE]
        if b == 'interval':
            return [None, *INTERVAL_HOSTILE]
        if b == 'uuid':
            mine_elsewhere = [i for i in self.own() if i not in self.own_matching()]
            return [
                None,
                ZERO_UUID,
                MAX_UUID,
                *self.victim_matching()[:4],
                *self.other_matching()[:2],
                *mine_elsewhere[:2],
            ]
        if b in ('jsonb', 'json'):
            keys = [w for w in self.fn.words if re.match(r'^[a-z_]+$', w)][:8] or ['k']
            docs = [Jsonb({keys[i % len(keys)]: v}) for i, v in enumerate(JSON_HOSTILE_SCALARS)]
            return [None, Jsonb({}), Jsonb([]), Jsonb(None), Jsonb('s'), Jsonb(0), *docs, *JSONB_TEXT]
        if b in ('text', 'character varying', 'character', 'citext', 'name', 'enum'):
            word = (self.known() or ['x'])[0]
            return [None, *HOSTILE_TEXT, *(m(word) for m in WORD_MUTATIONS)]
        return []

    def candidates(self) -> list:
        """A few valid-looking values, likeliest first: the sweep's baseline for the arguments it is not
        attacking is the first combination of these that the function accepts."""
        b = self.base()
        same = [a for a in self.fn.args if a.type.base == b]
        rank = same.index(self.arg) if self.arg in same else 0  # p_from and p_to: two different accounts
        if b in INT_LIMITS:
            values = [2, 1, 3, 5, 60]
        elif b == 'numeric':
            values = [Decimal('1'), Decimal('10'), Decimal('0.5'), Decimal('100')]
        elif b in ('double precision', 'real'):
            values = [1.0, 0.5]
        elif b == 'boolean':
            values = [True, False]
        elif b == 'date':
            today = dt.date.today()
            return [today, today - dt.timedelta(days=1), today - dt.timedelta(days=30)]
        elif b == 'timestamp with time zone':
            now = dt.datetime.now(UTC)
            return [now, now - dt.timedelta(hours=1), now + dt.timedelta(days=1)]
        elif b in ('inet', 'cidr'):
            return [ipaddress.ip_address('192.0.2.1')]
        elif b == 'interval':
            return [dt.timedelta(days=1)]
        elif b == 'uuid':
            values = self.own_matching()[:6] or [ZERO_UUID]
        elif b in ('jsonb', 'json'):
            return [Jsonb({})]
        elif b == 'enum':
            values = list(self.t.labels)
        else:
            values = (self.credentials() + self.known())[:6] or ['x']
        if b not in (
            'uuid',
            *INT_LIMITS,
        ):  # ids and counts differ between arguments; names and kinds need not
            return values
        return values[rank % len(values) :] + values[: rank % len(values)]

    def hostile(self) -> st.SearchStrategy | None:
        b = self.base()
        if b in INT_LIMITS:
            top = INT_LIMITS[b]
            edges = _int_edges(b)
            return st.one_of(
                st.none(), st.sampled_from(edges), st.sampled_from(edges), st.integers(-top, top - 1)
            )
        if b == 'numeric':
            return st.one_of(
                st.none(),
                st.sampled_from(NUMERIC_HOSTILE),
                st.sampled_from(NUMERIC_HOSTILE),
                st.sampled_from(NUMERIC_PLAUSIBLE),
                st.decimals(
                    min_value=Decimal('-1e20'),
                    max_value=Decimal('1e20'),
                    allow_nan=False,
                    allow_infinity=False,
                    places=8,
                ),
                st.decimals(
                    min_value=Decimal('-1e20'),
                    max_value=Decimal('1e20'),
                    allow_nan=False,
                    allow_infinity=False,
                ),
            )
        if b in ('double precision', 'real'):
            return st.one_of(st.none(), st.sampled_from(FLOAT_HOSTILE), st.floats())
        if b == 'boolean':
            return st.sampled_from([None, True, False])
        if b == 'date':
            return st.one_of(
                st.none(),
                st.sampled_from(_near_today()),
                st.sampled_from(DATE_EDGES),
                st.sampled_from(DATE_SPECIAL),
                st.dates(),
            )
        if b == 'timestamp with time zone':
            return st.one_of(
                st.none(),
                st.builds(lambda i: _near_now()[i], st.integers(0, len(_near_now()) - 1)),
                st.sampled_from(TIMESTAMP_EDGES),
                st.sampled_from(TIMESTAMP_SPECIAL),
                st.datetimes(timezones=st.just(UTC)),
            )
        if b in ('inet', 'cidr'):
            return st.one_of(st.none(), st.sampled_from(INET_HOSTILE), st.ip_addresses())
        if b == 'interval':
            return st.one_of(st.none(), st.sampled_from(INTERVAL_HOSTILE), st.timedeltas())
        if b == 'uuid':
            return _weighted(
                [
                    (1, st.none()),
                    (1, st.sampled_from([ZERO_UUID, MAX_UUID])),
                    (1, st.uuids()),
                    (1, from_pool(self.own, ZERO_UUID)),
                    (4, from_pool(self.own_matching, ZERO_UUID)),
                    (3, from_pool(self.victim_matching, ZERO_UUID)),
                    (1, from_pool(self.other_matching, ZERO_UUID)),
                ]
            )
        if b in ('jsonb', 'json'):
            return self._jsonb()
        if b in ('text', 'character varying', 'character', 'citext', 'name'):
            return self._text()
        if b == 'enum':
            return st.one_of(st.none(), st.sampled_from(self.t.labels), self._text())
        return None

    def _text(self) -> st.SearchStrategy:
        words = self.words + self.pools.global_words
        return _weighted(
            [
                (1, st.none()),
                (3, st.sampled_from(HOSTILE_TEXT)),
                (
                    1,
                    st.text(
                        alphabet=st.characters(exclude_categories=('Cs',), exclude_characters='\x00'),
                        max_size=40,
                    ),
                ),
                (1, st.sampled_from(words)),
                (1, st.builds(lambda f, w: f(w), st.sampled_from(WORD_MUTATIONS), st.sampled_from(words))),
                (3, st.sampled_from(self.words)),
                (3, from_pool(self.by_stem, 'x')),
                (2, from_pool(self.pools.all_credentials, 'x')),
            ]
        )

    def _jsonb(self) -> st.SearchStrategy:
        keys = list(dict.fromkeys([*self.fn.words, *self.pools.global_words])) or ['k']
        scalars = st.one_of(
            st.none(),
            st.booleans(),
            st.sampled_from(JSON_HOSTILE_SCALARS),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.sampled_from(HOSTILE_TEXT),
            st.sampled_from(keys),
        )
        key = st.one_of(
            st.sampled_from(keys), st.sampled_from(keys), st.sampled_from(HOSTILE_TEXT), st.text(max_size=10)
        )
        documents = st.recursive(
            scalars,
            lambda children: st.one_of(
                st.lists(children, max_size=4), st.dictionaries(key, children, max_size=4)
            ),
            max_leaves=12,
        )
        return _weighted(
            [
                (1, st.none()),
                (1, st.sampled_from([Jsonb({}), Jsonb([]), Jsonb(None), Jsonb(''), Jsonb(0), Jsonb([None])])),
                (2, st.sampled_from(JSONB_TEXT)),
                (4, st.dictionaries(key, documents, min_size=1, max_size=5).map(Jsonb)),
                (1, documents.map(Jsonb)),
            ]
        )

    def plausible(self) -> st.SearchStrategy:
        b = self.base()
        if b in INT_LIMITS:
            return st.one_of(
                st.sampled_from([1, 2, 5, 10, 60, 100]), st.integers(min_value=0, max_value=1000)
            )
        if b == 'numeric':
            return st.one_of(
                st.sampled_from(NUMERIC_PLAUSIBLE),
                st.decimals(min_value=Decimal('0.01'), max_value=Decimal('10000'), places=2),
            )
        if b in ('double precision', 'real'):
            return st.floats(min_value=0, max_value=1000)
        if b == 'boolean':
            return st.booleans()
        if b == 'date':
            return st.sampled_from([-30, -1, 0, 1, 30]).map(lambda d: dt.date.today() + dt.timedelta(days=d))
        if b == 'timestamp with time zone':
            return st.sampled_from([-86400, -3600, -1, 0, 30, 86400]).map(
                lambda s: dt.datetime.now(UTC) + dt.timedelta(seconds=s)
            )
        if b in ('inet', 'cidr'):
            return st.just(ipaddress.ip_address('192.0.2.1'))
        if b == 'interval':
            return st.sampled_from([dt.timedelta(minutes=5), dt.timedelta(days=1)])
        if b == 'enum':
            return st.sampled_from(self.t.labels)
        if b == 'uuid':
            return from_pool(self.own_matching, ZERO_UUID)
        if b in ('jsonb', 'json'):
            values = st.one_of(st.booleans(), st.integers(0, 100), st.sampled_from(self.words))
            return st.one_of(
                st.just(Jsonb({})),
                st.dictionaries(st.sampled_from(self.words), values, max_size=3).map(Jsonb),
            )
        if b in ('text', 'character varying', 'character', 'citext', 'name'):
            branches = [
                (12, from_pool(self.known, 'x')),
                (1, from_pool(lambda: self.by_stem() or self.words, 'x')),
                (1, st.sampled_from(self.words)),
                (1, st.text(alphabet='abcdefghijklmnopqrstuvwxyz_0123456789 ', min_size=1, max_size=20)),
            ]
            if credential_kind(self.arg):
                branches.append((12, from_pool(self.credentials, 'x')))
            return _weighted(branches)
        return st.none()


class ArgumentValues:
    """Values of an argument of any supported type; arrays are lists of their element's values."""

    def __init__(self, pools: Pools, fn: ApiFunction, arg: Arg):
        self.arg = arg
        self.element = Values(pools, fn, arg, arg.type.element) if arg.type.element is not None else None
        self.scalar = Values(pools, fn, arg)
        self._hostile: st.SearchStrategy | None = None
        self._plausible: st.SearchStrategy | None = None

    @property
    def supported(self) -> bool:
        return (self.element or self.scalar).hostile() is not None

    def hostile(self) -> st.SearchStrategy:
        if self._hostile is None:
            if self.element is None:
                self._hostile = self.scalar.hostile()
            else:
                inner = self.element.hostile()
                self._hostile = st.one_of(
                    st.none(),
                    st.just([]),
                    st.just([None]),
                    st.lists(inner, max_size=6),
                    st.lists(inner, min_size=1, max_size=3).map(lambda xs: xs * 400),
                )
        return self._hostile

    def plausible(self) -> st.SearchStrategy:
        if self._plausible is None:
            if self.element is None:
                self._plausible = self.scalar.plausible()
            else:
                self._plausible = st.lists(self.element.plausible(), min_size=1, max_size=3)
        return self._plausible

    def constants(self) -> list:
        if self.element is None:
            return self.scalar.constants()
        inner = [c for c in self.element.constants() if c is not None]
        return [None, [], [None], *([c] for c in inner), inner[:8], [*inner[:3], None] * 400]

    def candidates(self) -> list:
        if self.element is not None:
            return [[c] for c in self.element.candidates()]
        return self.scalar.candidates()


def unsupported_arguments(functions: list[ApiFunction]) -> list[str]:
    """'api.f(…): argument p_x of type T' for every argument the generator cannot produce a value for."""
    out = []
    for fn in functions:
        if fn.kind not in ('f', 'p'):
            out.append(f'{fn}: a routine of kind {fn.kind!r} cannot be called by the fuzzer')
        for arg in fn.args:
            if not ArgumentValues(Pools(), fn, arg).supported:
                out.append(
                    f'{fn}: argument {arg.name} of type {arg.type.sql} (base {arg.type.base}) has no strategy'
                )
    return out


# --- the call ------------------------------------------------------------------------------------


def call_query(fn: ApiFunction, present: list[tuple[Arg, object]]) -> sql.Composed:
    """`select * from api.f(p_a => %s::type, …)` (named where every argument has a name, else positional)."""
    named = all(a.name for a in fn.args)
    parts = []
    for arg, _ in present:
        value = sql.SQL('{}{}::{}').format(
            sql.SQL('variadic ' if arg.variadic else ''), sql.Placeholder(), sql.SQL(arg.type.sql)
        )
        parts.append(sql.SQL('{} => {}').format(sql.Identifier(arg.name), value) if named else value)
    target = sql.SQL('{}.{}({})').format(
        sql.Identifier('api'), sql.Identifier(fn.name), sql.SQL(', ').join(parts)
    )
    if fn.kind == 'p':
        return sql.SQL('call {}').format(target)
    return sql.SQL('select * from {}').format(target)


def show_value(value: object) -> str:
    """A value as the report shows it: its repr, long ones cut."""
    text = f'Jsonb({value.obj!r})' if isinstance(value, Jsonb) else repr(value)
    if len(text) > 80:
        return f'{text[:60]}…({len(text)} chars)'
    return text


def show_call(fn: ApiFunction, present: list[tuple[Arg, object]]) -> str:
    args = ', '.join(f'{a.name or "$"} => {show_value(v)}' for a, v in present)
    return f'api.{fn.name}({args})'


def normalize_message(message: str) -> str:
    """A message with its ids and numbers blanked, to count one defect once."""
    message = re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', message)
    message = re.sub(r'-?\d[\d.e+-]*|<NULL>|NaN|-?Infinity', '<n>', message)
    message = re.sub(r'"[^"]*"|\'[^\']*\'', '<s>', message)
    return message[:160]


# --- what the gate records -----------------------------------------------------------------------


@dataclass
class Finding:
    kind: str
    context: str
    function: str
    sqlstate: str | None
    message: str
    example: str
    count: int = 0


@dataclass
class Recorder:
    calls: dict[tuple[str, str], Counter] = field(default_factory=dict)
    findings: dict[tuple, Finding] = field(default_factory=dict)
    # Documented codes worth a look, not failures: a constraint of the data model refusing what the
    # function let through (23514 from a table's check instead of a 22023 with a hint).
    refusals: dict[tuple, Finding] = field(default_factory=dict)

    def outcome(self, context: str, fn: ApiFunction, outcome: str) -> None:
        self.calls.setdefault((context, fn.name), Counter())[outcome] += 1

    def defect(
        self, kind: str, context: str, fn: ApiFunction, sqlstate: str | None, message: str, example: str
    ) -> None:
        self._add(self.findings, kind, context, fn, sqlstate, message, example)

    def refusal(self, context: str, fn: ApiFunction, sqlstate: str, constraint: str, example: str) -> None:
        self._add(self.refusals, 'refused by the data model', context, fn, sqlstate, constraint, example)

    def _add(self, into, kind, context, fn, sqlstate, message, example) -> None:
        key = (kind, context, fn.name, sqlstate, normalize_message(message))
        found = into.setdefault(key, Finding(kind, context, fn.name, sqlstate, message[:300], example))
        found.count += 1
        if len(example) < len(found.example):
            found.example = example
            found.message = message[:300]

    def summary(self) -> str:
        lines = ['calls per context and function (outcome: count)']
        total = Counter()
        for (context, name), counts in sorted(self.calls.items()):
            total[context] += sum(counts.values())
            shown = ', '.join(f'{k} {v}' for k, v in sorted(counts.items()))
            lines.append(f'  {context:5} {name:24} {sum(counts.values()):5}  {shown}')
        lines.append('total: ' + ', '.join(f'{c} {n}' for c, n in sorted(total.items())))
        return '\n'.join(lines)

    def report(self) -> str:
        lines = []
        if self.refusals:
            lines.append('documented, but for review: constraints of the data model that refused a call')
            lines += self._lines(self.refusals)
        lines.append(f'{len(self.findings)} defect(s) found:' if self.findings else 'no defects found')
        return '\n'.join(lines + self._lines(self.findings))

    @staticmethod
    def _lines(found: dict[tuple, Finding]) -> list[str]:
        return [
            f'- [{f.kind}] {f.context}: api.{f.function} -> {f.sqlstate or "-"} x{f.count}: {f.message}\n'
            f'    e.g. {f.example}'
            for f in sorted(found.values(), key=lambda f: (f.function, f.kind, f.context))
        ]


def examples_per_function(default: int) -> int:
    """TB_FUZZ_EXAMPLES raises the examples per function and context (make fuzz); `make test` uses DEFAULT."""
    return int(os.environ.get('TB_FUZZ_EXAMPLES', default))


# --- the database side: users, pools, fingerprints -----------------------------------------------

PASSWORD = 'correct horse battery staple'
# Settings a client chooses for its session; functions must not depend on them (a date formatted
# with the session's DateStyle and parsed back, a time zone in a signature).
DEFAULT_SESSION = {
    'TimeZone': 'UTC',
    'DateStyle': 'ISO, MDY',
    'IntervalStyle': 'postgres',
    'extra_float_digits': '1',
}
HOSTILE_SESSIONS = (
    {},
    {'TimeZone': 'Pacific/Kiritimati'},
    {'TimeZone': 'Etc/GMT+12'},
    {'TimeZone': 'Asia/Kathmandu', 'DateStyle': 'SQL, DMY'},
    {'DateStyle': 'German', 'IntervalStyle': 'sql_standard'},
    {'DateStyle': 'Postgres, YMD', 'IntervalStyle': 'iso_8601', 'extra_float_digits': '-15'},
)
SYMBOLS = {'FZA': ('USD', Decimal('100')), 'FZE': ('EUR', Decimal('20')), 'FZT': ('USD', Decimal('0.01'))}
INACTIVE_SYMBOL = 'FZD'


@dataclass
class User:
    user_id: uuid.UUID
    username: str
    email: str
    password: str
    token: str
    stale_tokens: list[str] = field(default_factory=list)  # a logged-out session, a revoked API key
    fund_id: uuid.UUID | None = None  # the fund they manage and invest in (Harness._make_fund)


@dataclass
class StateTable:
    name: str  # schema.table, quoted for SQL
    owner: str | None  # SQL expression over alias x: the user owning the row
    append_only: bool  # refuses update and delete (audit.log): fingerprinted by count and max(id)
    has_uuid_id: bool


def _state_tables(conn: psycopg.Connection) -> list[StateTable]:
    rows = conn.execute(
        """
        select c.oid, c.oid::regclass::text,
               exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'user_id'
                       and not a.attisdropped),
               exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'id'
                       and a.atttypid = 'uuid'::regtype and not a.attisdropped),
               exists (select from pg_trigger t where t.tgrelid = c.oid
                       and t.tgfoid::regproc::text like '%%refuse_change'
                       and (t.tgtype & 24) = 24)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%s) and c.relkind in ('r', 'p') and not c.relispartition
          and not exists (select from pg_depend d where d.objid = c.oid and d.deptype = 'e')
        order by 2
        """,
        [list(STATE_SCHEMAS)],
    ).fetchall()
    fks = conn.execute(
        """
        select f.conrelid, a.attname, f.confrelid::regclass::text
        from pg_constraint f
        join pg_attribute a on a.attrelid = f.conrelid and a.attnum = f.conkey[1]
        where f.contype = 'f' and array_length(f.conkey, 1) = 1
        order by f.conrelid, a.attname
        """
    ).fetchall()
    has_user = {name for _, name, user, _, _ in rows if user}
    out = []
    for oid, name, has_user_id, has_id, append_only in rows:
        owner = None
        if name == 'auth.users':
            owner = 'x.id'
        elif has_user_id:
            owner = 'x.user_id'
        else:
            for rel, col, parent in fks:
                if rel != oid:
                    continue
                if parent == 'auth.users':
                    owner = f'x.{col}'
                    break
                if parent in has_user:
                    owner = f'(select p.user_id from {parent} p where p.id = x.{col})'  # noqa: S608 (catalog names)
                    break
        out.append(StateTable(name, owner, append_only, has_id))
    return out


class Harness:
    """Three connections (app login, admin login, superuser side) and what every call is checked for."""

    def __init__(self, db_url: str, app_url: str, admin_url: str, recorder: Recorder):
        self.urls = {'side': db_url, 'app': app_url, 'admin': admin_url}
        self.recorder = recorder
        self.documented = documented_sqlstates()
        self.setup_problems: list[str] = []
        self._n = 0
        self._connect()
        self.tables = _state_tables(self.side)
        self._fingerprint_sql = self._build_fingerprint_sql()
        self._ids_sql = self._build_ids_sql()
        self.global_words = self._global_words()
        self._prepare_market()
        # The ids the set-up made, in the order it made them: the pools list them first (Harness.pools).
        self.made: dict[uuid.UUID, int] = {}
        self.victim = self.make_user('victim')
        self.caller = self.make_user('caller')
        self._pool = Pools()
        self._stale = True
        self._values: dict[tuple, ArgumentValues] = {}
        self._values_sql: sql.Composable | None = None
        self._last_fp: dict | None = None
        self._settings: dict[int, dict[str, str]] = {}

    # connections
    def _connect(self) -> None:
        options = '-c statement_timeout=5s -c lock_timeout=5s'
        self.side = psycopg.connect(self.urls['side'], autocommit=True)
        self.app = psycopg.connect(self.urls['app'], options=options)
        self.admin = psycopg.connect(self.urls['admin'], options=options)
        self.pids = [c.info.backend_pid for c in (self.app, self.admin)]

    def reconnect(self) -> None:
        for c in (self.side, self.app, self.admin):
            with contextlib.suppress(psycopg.Error):
                c.close()
        self._connect()
        self._last_fp = None

    def close(self) -> None:
        for c in (self.side, self.app, self.admin):
            c.close()

    # setup, as the app would do it
    def _as_user(self, token: str, query: str, params: list | None = None):
        try:
            self.app.execute('select api.authenticate(%s)', [token])
            row = self.app.execute(query, params or []).fetchone()
            self.app.commit()
            if row and isinstance(row[0], uuid.UUID):
                self.made.setdefault(row[0], len(self.made))
            return row[0] if row else None
        except psycopg.Error as err:
            self.app.rollback()
            self.setup_problems.append(f'{query} {params or ""}: {err.sqlstate} {err.diag.message_primary}')
            return None

    def _anon(self, query: str, params: list):
        try:
            row = self.app.execute(query, params).fetchone()
            self.app.commit()
            return row[0]
        except psycopg.Error:
            self.app.rollback()
            raise

    def _prepare_market(self) -> None:
        s = self.side
        for symbol, (currency, price) in SYMBOLS.items():
            s.execute(
                'select api.upsert_security(%s, %s, %s, null, %s)',
                [symbol, f'fuzz {symbol}', 'stock', currency],
            )
            s.execute('select api.record_price(%s, %s, clock_timestamp())', [symbol, price])
        s.execute('select api.upsert_security(%s, %s, %s)', [INACTIVE_SYMBOL, 'fuzz inactive', 'stock'])
        s.execute('update market.securities set is_active = true where symbol = %s', [INACTIVE_SYMBOL])
        s.execute('select api.record_price(%s, 10, clock_timestamp())', [INACTIVE_SYMBOL])
        s.execute('update market.securities set is_active = false where symbol = %s', [INACTIVE_SYMBOL])
        s.execute(
            "insert into market.fx_rates values ('USD', 'EUR', now() - interval '1 day', 0.8), "
            "('EUR', 'USD', now() - interval '1 day', 1.25) on conflict do nothing"
        )

    def make_user(self, label: str) -> User:
        """A user with one object of every kind the api makes: the ids the fuzzer draws from."""
        self._n += 1
        username = f'fz_{label}_{self._n}_{uuid.uuid4().hex[:6]}'
        email = f'{username}@fuzz.example'
        user_id = self._anon('select api.register_user(%s, %s, %s)', [email, username, PASSWORD])
        token = self._anon('select api.login(%s, %s)', [username, PASSWORD])
        stale = self._anon('select api.login(%s, %s)', [username, PASSWORD])
        self._as_user(stale, 'select api.logout()')
        u = User(user_id, username, email, PASSWORD, token, [stale])
        default = self._as_user(token, 'select id from api.accounts where is_default')
        live = self._as_user(token, "select api.create_account('live', 'live')")
        self._as_user(token, "select api.deposit(%s, 5000, 'fz-dep-1', 'first')", [live])
        self._as_user(token, """select api.create_account('short', p_settings => '{"allow_short": true}')""")
        self._as_user(token, "select id from api.execute_paper_trade(%s, 'FZA', 'buy', 10)", [default])
        self._as_user(token, "select id from api.execute_paper_trade(%s, 'FZE', 'buy', 3)", [default])
        self._as_user(
            token,
            "select id from api.execute_paper_trade(%s, 'FZA', 'buy', 5, 'limit', 50, null, 'gtc', "
            "'fz-rest')",
            [default],
        )
        self._as_user(
            token,
            "select id from api.execute_paper_trade(%s, 'FZA', 'sell', 2, 'stop', null, 60, 'gtc')",
            [default],
        )
        self._as_user(token, "select api.create_risk_rule('MAX_ORDER_NOTIONAL', 1000000, %s)", [default])
        self._as_user(token, "select api.create_api_key('fz key')")
        old_key = self._as_user(token, "select api.create_api_key('fz old key')")
        key_id = self._as_user(token, "select id from api.list_api_keys() where name = 'fz old key'")
        self._as_user(token, 'select api.revoke_api_key(%s)', [key_id])
        if old_key:
            u.stale_tokens.append(old_key)
        connection = self._as_user(token, "select api.connect_platform('zerodha', 'fz-key', 'fz-secret')")
        self._as_user(token, "select api.record_sync(%s, 'manual', 'completed', 1, 1)", [connection])
        self._as_user(token, 'select api.start_trading_session(%s)', [default])
        self._as_user(token, """select api.set_user_setting('fz_setting', '{"a": 1}')""")
        self._make_fund(u, live)
        self._stale = True
        self._last_fp = None
        return u

    def _make_fund(self, u: User, live: uuid.UUID | None) -> None:
        """The user as a fund manager (auth.users.role, which no api function sets) and a KYC-verified
        investor (api.set_kyc_status, an administrator's decision) in a mini fund of their own: a dealt
        subscription (its lot and holding), a position, a pending subscription and a pending redemption;
        and a paused and a closed fund. So p_fund_id and p_flow_id draw real funds and flows (own; the
        victim's for 42501) and hostile input reaches subscribe, redeem, cancel, strike, trade and close.
        Only the user invests in their own funds: a strike of one by the user deals no other user's flow."""
        self.side.execute("update auth.users set role = 'fund_manager' where id = %s", [u.user_id])
        self.side.execute("select api.set_kyc_status(%s, 'verified')", [u.user_id])
        token = u.token
        fund = self._as_user(token, "select api.create_fund(%s, 'mini')", [f'fz fund {u.username}'])
        u.fund_id = fund
        if fund is None or live is None:
            return
        self._as_user(token, "select api.deposit(%s, 10000, 'fz-dep-fund', 'for the fund')", [live])
        subscribe = 'select id from api.subscribe(%s, %s, %s, %s)'
        dealt = self._as_user(token, subscribe, [fund, live, 2000, 'fz-sub-dealt'])
        # A strike deals the requests made before its p_as_of: the first strike two days back, so that a
        # strike of today (the fuzz's) is a new one that accrues fees and deals what is pending then.
        self.side.execute(
            "update fund.flows set requested_at = now() - interval '3 days' where id = %s", [dealt]
        )
        self._as_user(token, "select dealt from api.strike_nav(%s, now() - interval '2 days')", [fund])
        self._as_user(token, "select id from api.fund_trade(%s, 'FZA', 'buy', 2)", [fund])
        self._as_user(token, subscribe, [fund, live, 1000, 'fz-sub-pending'])
        self._as_user(token, "select id from api.redeem(%s, %s, 100, 'fz-red-pending')", [fund, live])
        # A paused fund with a subscription pending (a strike refuses it, a close cancels it) and a closed
        # one: paused and closed become values the fuzz draws for a status (Values.known).
        paused = self._as_user(token, "select api.create_fund(%s, 'mini')", [f'fz paused {u.username}'])
        self._as_user(token, subscribe, [paused, live, 1000, 'fz-sub-paused'])
        self._as_user(token, "select id from api.set_fund_status(%s, 'paused')", [paused])
        closed = self._as_user(token, "select api.create_fund(%s, 'mini')", [f'fz closed {u.username}'])
        self._as_user(token, "select id from api.set_fund_status(%s, 'closed')", [closed])

    def restore_fund_roles(self) -> None:
        """Before each function is fuzzed: the caller a fund manager and KYC-verified again, and their
        fund active again if it was paused (the fuzz of api.set_kyc_status and api.set_fund_status before
        it may have taken them back), so that every function meets the fund world make_user built. A
        closed fund stays closed (closing is terminal)."""
        row = self.side.execute(
            "select u.role = 'fund_manager', u.kyc_status = 'verified', "
            "(select f.status = 'paused' from fund.funds f where f.id = %s) "
            'from auth.users u where u.id = %s',
            [self.caller.fund_id, self.caller.user_id],
        ).fetchone()
        if row is None or (row[0] and row[1] and not row[2]):
            return
        manager, verified, paused = row
        user = self.caller.user_id
        if not manager:
            self.side.execute("update auth.users set role = 'fund_manager' where id = %s", [user])
        if not verified:
            self.side.execute("select api.set_kyc_status(%s, 'verified')", [user])
        if paused:
            self._as_user(
                self.caller.token, "select id from api.set_fund_status(%s, 'active')", [self.caller.fund_id]
            )
        self._stale = True
        self._last_fp = None

    def replace_caller(self) -> None:
        """The caller logged out, was locked or deleted itself: log in again, else make a new one."""
        self._last_fp = None
        self._stale = True
        try:
            token = self._anon('select api.login(%s, %s)', [self.caller.username, self.caller.password])
        except psycopg.Error:
            token = None
        if token:
            self.caller.stale_tokens.append(self.caller.token)
            self.caller.token = token
        else:
            self.caller = self.make_user('caller')

    # what the generator draws from
    def _global_words(self) -> list[str]:
        """Literals of check constraints (tables and domains) and column names of the state schemas."""
        checks = self.side.execute(
            'select pg_get_constraintdef(c.oid) from pg_constraint c '
            'join pg_namespace n on n.oid = c.connamespace '
            "where c.contype = 'c' and n.nspname = any(%s)",
            [list(STATE_SCHEMAS)],
        ).fetchall()
        columns = self.side.execute(
            'select distinct a.attname::text from pg_attribute a join pg_class c on c.oid = a.attrelid '
            'join pg_namespace n on n.oid = c.relnamespace '
            "where n.nspname = any(%s) and c.relkind in ('r', 'p') "
            'and a.attnum > 0 and not a.attisdropped order by 1',
            [list(STATE_SCHEMAS)],
        ).fetchall()
        self.check_literals = sorted({w for (d,) in checks for w in literals(d)})
        return sorted(set(self.check_literals) | {c for (c,) in columns})

    def _build_ids_sql(self) -> sql.Composable:
        parts = [
            sql.SQL('select {}::text, x.id, {} from {} x').format(
                sql.Literal(t.name), sql.SQL(t.owner or 'null::uuid'), sql.SQL(t.name)
            )
            for t in self.tables
            if t.has_uuid_id
        ]
        return sql.SQL(' union all ').join(parts) + sql.SQL(' order by 1, 2')

    def _build_values_sql(self, stems: set[str]) -> sql.Composable | None:
        """Existing values of the text columns an argument names (p_side -> orders.side, p_base_currency ->
        accounts.base_currency, p_template -> account_templates.name): valid enum values and duplicates."""
        rows = self.side.execute(
            """
            select c.oid::regclass::text, c.relname::text, a.attname::text
            from pg_attribute a join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_type t on t.oid = a.atttypid
            where n.nspname = any(%s) and n.nspname not in ('audit', 'ops', 'app') and c.relkind in ('r', 'p')
              and not c.relispartition and a.attnum > 0 and not a.attisdropped
              and (t.typcategory = 'S' or t.typbasetype = 'text'::regtype)
            order by 1, 3
            """,
            [list(STATE_SCHEMAS)],
        ).fetchall()

        def exactly(term: str, relname: str, column: str) -> bool:
            return column == term or (term in relname and column in ('name', 'code', 'symbol'))

        parts = []
        for stem in sorted(stems):
            matched = [(t, c, True) for t, rel, c in rows if exactly(stem, rel, c)]
            matched += [(t, c, False) for t, rel, c in rows if c.endswith('_' + stem)]
            for table, column, exact in matched:
                parts.append(
                    sql.SQL(
                        '(select {stem}::text, {exact}, v from '
                        '(select distinct {col}::text as v from {table} '
                        'where {col} is not null and length({col}::text) <= 100 order by 1 limit 30) s)'
                    ).format(
                        stem=sql.Literal(stem),
                        exact=sql.Literal(exact),
                        col=sql.Identifier(column),
                        table=sql.SQL(table),
                    )
                )
        return sql.SQL(' union all ').join(parts) if parts else None

    def prepare_terms(self, functions: list[ApiFunction]) -> None:
        stems = {
            text_stem(a)
            for fn in functions
            for a in fn.args
            if a.name and a.type.base in ('text', 'text[]', 'enum', 'character varying')
        }
        self._values_sql = self._build_values_sql(stems)

    def pools(self) -> Pools:
        """The live pools, refreshed in place when a call may have changed them."""
        if not self._stale:
            return self._pool
        own, victim, other = [], [], []
        per_table: Counter = Counter()
        for table, id_, owner in self.side.execute(self._ids_sql).fetchall():
            if owner == self.caller.user_id:
                own.append((table, id_))
            elif owner == self.victim.user_id:
                victim.append((table, id_))
            elif per_table[table] < 20:
                per_table[table] += 1
                other.append((table, id_))
        # The set-up's objects first, as it made them (the live account with its cash before the accounts
        # the fuzz opened, the fund with its flows before the empty funds it opened): the candidates a
        # sweep's baseline is searched in are the first few (Values.candidates).
        for ids in (own, victim):
            ids.sort(key=lambda item: self.made.get(item[1], len(self.made)))
        values: dict[str, tuple[list[str], list[str]]] = {}
        if self._values_sql is not None:
            for stem, exact, value in self.side.execute(self._values_sql).fetchall():
                values.setdefault(stem, ([], []))[0 if exact else 1].append(value)
        c, v = self.caller, self.victim
        p = self._pool
        p.own_ids, p.victim_ids, p.other_ids, p.values_by_stem = own, victim, other, values
        p.global_words = self.global_words
        p.check_literals = self.check_literals
        p.credentials = {
            'password': [c.password, PASSWORD + ' 2', '', 'short'],
            'login': [c.username, c.email, v.username, v.email.upper(), 'nobody@fuzz.example'],
            'token': [c.token, *c.stale_tokens[-3:], *v.stale_tokens],
        }
        self._stale = False
        return p

    def values(self, fn: ApiFunction, arg: Arg) -> ArgumentValues:
        """The values of FN's argument ARG, built once (they read the live pools when drawn)."""
        key = (fn.signature, arg.name, arg.type)
        if key not in self._values:
            self._values[key] = ArgumentValues(self._pool, fn, arg)
        return self._values[key]

    def _build_fingerprint_sql(self) -> sql.Composable:
        parts = []
        for t in self.tables:
            row_hash = sql.SQL('hashtextextended(x::text, 0)')
            if t.append_only:
                total = sql.SQL('count(*), coalesce(max(x.id), 0)::numeric')
            else:
                total = sql.SQL('count(*), coalesce(sum({}), 0)').format(row_hash)
            if t.owner and not t.append_only:
                mine = sql.SQL(
                    'count(*) filter (where {o} = %(victim)s), '
                    'coalesce(sum({h}) filter (where {o} = %(victim)s), 0)'
                )
                mine = mine.format(o=sql.SQL(t.owner), h=row_hash)
            else:
                mine = sql.SQL('0::bigint, 0::numeric')
            parts.append(
                sql.SQL('select {}::text, {}, {} from {} x').format(
                    sql.Literal(t.name), total, mine, sql.SQL(t.name)
                )
            )
        parts.append(
            sql.SQL(
                "select 'advisory locks held by the app and admin logins', count(*), 0, 0, 0 from pg_locks "
                "where locktype = 'advisory' and pid = any(%(pids)s)"
            )
        )
        return sql.SQL(' union all ').join(parts)

    def fingerprint(self) -> dict[str, tuple]:
        rows = self.side.execute(self._fingerprint_sql, {'victim': self.victim.user_id, 'pids': self.pids})
        return {name: (n, h, vn, vh) for name, n, h, vn, vh in rows.fetchall()}

    # the call
    def _session(self, conn: psycopg.Connection, settings: dict[str, str]) -> None:
        """The client-controlled session settings of the next call, set (and committed) before it."""
        current = self._settings.setdefault(conn.info.backend_pid, dict(DEFAULT_SESSION))
        wanted = {**DEFAULT_SESSION, **settings}
        if wanted != current:
            for name, value in wanted.items():
                conn.execute('select set_config(%s, %s, false)', [name, value])
            conn.commit()
            self._settings[conn.info.backend_pid] = wanted

    def _begin(self, context: str) -> psycopg.Connection:
        if context == 'admin':
            self.admin.execute('select api.act_as(%s)', [self.caller.user_id])
            return self.admin
        if context == 'user':
            for _ in range(3):
                try:
                    self.app.execute('select api.authenticate(%s)', [self.caller.token])
                    return self.app
                except psycopg.Error:
                    self.app.rollback()
                    self.replace_caller()
            raise AssertionError('cannot authenticate a caller: ' + '; '.join(self.setup_problems[-5:]))
        return self.app

    def run_call(
        self,
        context: str,
        fn: ApiFunction,
        present: list[tuple[Arg, object]],
        settings: dict[str, str] | None = None,
    ) -> str:
        """Call FN in CONTEXT (user, anon or admin) with PRESENT, under the session SETTINGS, and check
        everything; returns the outcome: ok or the SQLSTATE."""
        settings = settings or {}
        example = show_call(fn, present)
        if settings:
            example += ' with ' + ', '.join(f'{k} = {v!r}' for k, v in settings.items())
        query = call_query(fn, present)
        params = [v for _, v in present]
        self._session(self.admin if context == 'admin' else self.app, settings)
        conn = self._begin(context)
        before = self._last_fp or self.fingerprint()
        error: psycopg.Error | None = None
        rows: list = []
        try:
            # Binary results: what psycopg reads back must not depend on the hostile DateStyle.
            cur = conn.cursor(binary=True).execute(query, params)
            rows = cur.fetchall() if cur.description else []
            conn.commit()
        except psycopg.Error as err:
            error = err
        except (
            ValueError,
            TypeError,
            OverflowError,
        ) as err:  # a value psycopg cannot send: the generator's bug
            raise AssertionError(f'cannot send {example}: {err}') from err
        if error is not None:
            if conn.broken or self.side.broken:
                self.recorder.outcome(context, fn, 'connection lost')
                self.recorder.defect('connection lost', context, fn, error.sqlstate, str(error), example)
                self.reconnect()
                return 'connection lost'
            conn.rollback()
        self._check(context, fn, example, error, rows, before, conn)
        if error is None and context != 'anon':
            self._follow_password(fn, present)
        return 'ok' if error is None else str(error.sqlstate)

    def _follow_password(self, fn: ApiFunction, present: list[tuple[Arg, object]]) -> None:
        """After a successful call with a password argument, keep the caller's password current."""
        candidates = [v for a, v in present if credential_kind(a) == 'password' and isinstance(v, str)]
        if not candidates:
            return
        check = (
            'select coalesce(extensions.crypt(%s, password_hash) = password_hash, false) '
            'from auth.user_security where user_id = %s'
        )
        row = self.side.execute(check, [self.caller.password, self.caller.user_id]).fetchone()
        if row and row[0]:
            return
        for value in candidates:
            row = self.side.execute(check, [value, self.caller.user_id]).fetchone()
            if row and row[0]:
                self.caller.password = value
                self._stale = True
                return

    def sweep(self, fn: ApiFunction, every_text_constant: bool) -> None:
        """Each hostile constant of each argument's type, one argument at a time, the others at a
        baseline and arguments with defaults left out. The baseline is the first combination of
        candidate values (Values.candidates) that the function accepts, searched one argument at a
        time. As the user, or as an administrator acting as the user when the user is refused (42501:
        operator-only functions). Text constants are many: unless EVERY_TEXT_CONSTANT, each goes to one
        of FN's text arguments in turn."""
        self.restore_fund_roles()
        named = all(a.name for a in fn.args)
        choice = dict.fromkeys(range(len(fn.args)), 0)

        def call(
            target: Arg | None, value: object, extra: dict[int, int] | None = None
        ) -> list[tuple[Arg, object]]:
            """The baseline with TARGET set to VALUE; EXTRA: defaulted arguments to give (index ->
            candidate)."""
            self.pools()
            extra = extra or {}
            present = []
            for j, a in enumerate(fn.args):
                if a is target:
                    present.append((a, value))
                elif not a.has_default or j in extra or (not named and target and j < fn.args.index(target)):
                    options = self.values(fn, a).candidates()
                    present.append((a, options[extra.get(j, choice[j]) % len(options)]))
            return present

        def companions(target: Arg) -> dict[int, int]:
            """Defaulted arguments a defaulted TARGET needs to be accepted at all (p_limit_price needs
            p_order_type => 'limit'): the first other defaulted argument and candidate that make a
            plausible value of TARGET succeed."""
            plausible = self.values(fn, target).candidates()[0]
            if not target.has_default or self.run_call(context, fn, call(target, plausible)) == 'ok':
                return {}
            others = [j for j, a in enumerate(fn.args) if a.has_default and a is not target]
            for j, k in [(j, k) for j in others for k in range(6)][:16]:
                fits = k < len(self.values(fn, fn.args[j]).candidates())
                if fits and self.run_call(context, fn, call(target, plausible, {j: k})) == 'ok':
                    return {j: k}
            return {}

        outcome = self.run_call('user', fn, call(None, None))
        context = 'user'
        if outcome == '42501':
            context = 'admin'
            outcome = self.run_call(context, fn, call(None, None))
        tries = [(j, k) for j, a in enumerate(fn.args) if not a.has_default for k in range(1, 6)][:12]
        for j, k in tries:
            if outcome == 'ok':
                break
            if k >= len(self.values(fn, fn.args[j]).candidates()):
                continue
            previous, choice[j] = choice[j], k
            outcome = self.run_call(context, fn, call(None, None))
            if outcome in ('42501', 'P0002'):  # a worse id than before
                choice[j] = previous
        texts = [a for a in fn.args if a.type.base in TEXT_TYPES]
        for arg in fn.args:
            extra = companions(arg)
            for k, value in enumerate(self.values(fn, arg).constants()):
                if arg in texts and not every_text_constant and k % len(texts) != texts.index(arg):
                    continue
                self.run_call(context, fn, call(arg, value, extra))

    def _check(self, context, fn, example, error, rows, before, conn) -> None:
        rec = self.recorder
        if TRACE:
            outcome = 'ok' if error is None else f'{error.sqlstate} {error.diag.message_primary}'
            print(f'{context} {example} -> {outcome[:200]}')
        if error is None:
            rec.outcome(context, fn, 'ok')
            self._stale = True
        else:
            code, message = error.sqlstate, error.diag.message_primary or str(error)
            boundary = code in BOUNDARY_CODES and at_call_boundary(error)
            label = f'{code} (at the call boundary)' if boundary else str(code)
            if error.diag.constraint_name:  # a refusal of the data model: which rule, for the report
                label += f' [{error.diag.constraint_name}]'
                rec.refusal(context, fn, str(code), error.diag.constraint_name, example)
            rec.outcome(context, fn, label)
            if code in self.documented or boundary:
                pass
            elif code is None:
                rec.defect('client error', context, fn, code, message, example)
            elif code.startswith('XX'):
                rec.defect('internal error', context, fn, code, message, example)
            elif code == 'P0004':
                rec.defect('unregistered error code', context, fn, code, message, example)
            else:
                where = 'inside the function' if error.diag.context else 'no context'
                rec.defect(f'undocumented SQLSTATE ({where})', context, fn, code, message, example)
        if context == 'anon' and fn.name not in ANONYMOUS_FUNCTIONS:
            if error is None:
                rec.defect('anonymous call succeeded', context, fn, None, 'expected TB008', example)
            elif error.sqlstate in self.documented and error.sqlstate not in ANONYMOUS_REFUSALS:
                rec.defect(
                    'anonymous call not refused first (expected TB008)',
                    context,
                    fn,
                    error.sqlstate,
                    error.diag.message_primary or '',
                    example,
                )
        after = self.fingerprint()
        self._last_fp = after
        if error is not None:
            changed = [t for t in after if after[t][:2] != before[t][:2]]
            if changed:
                rec.defect(
                    'half-done: a failed call left changes',
                    context,
                    fn,
                    error.sqlstate,
                    ', '.join(changed),
                    example,
                )
        locks = 'advisory locks held by the app and admin logins'
        if after[locks][0]:
            rec.defect(
                'advisory lock left held after the call', context, fn, None, str(after[locks][0]), example
            )
            for c in (self.app, self.admin):  # reported once: release it so later calls start clean
                c.execute('select pg_advisory_unlock_all()')
                c.commit()
            self._last_fp = self.fingerprint()
        if context == 'user' and fn.name not in WRITES_OTHER_USERS:
            touched = [t for t in after if after[t][2:] != before[t][2:]]
            if touched:
                rec.defect(
                    "changed another user's rows",
                    context,
                    fn,
                    error and error.sqlstate,
                    ', '.join(touched),
                    example,
                )
        suspects: list[tuple[str, uuid.UUID]] = []
        shown = ''
        if context == 'user' and fn.name not in WRITES_OTHER_USERS and error is None and rows:
            shown = repr(rows)
            victim = str(self.victim.user_id)
            suspects = [(t, i) for t, i in self.pools().victim_ids if str(i) in shown]
            if victim in shown and ('auth.users', self.victim.user_id) not in suspects:
                suspects.append(('auth.users', self.victim.user_id))
        try:
            acting = conn.execute('select app.current_user_id()').fetchone()[0]
            conn.rollback()
        except psycopg.Error as err:
            conn.rollback()
            acting = f'error {err.sqlstate}'
        if acting is not None:
            rec.defect('acting user outlives its transaction', context, fn, None, str(acting), example)
        # Another user's object the caller may read anyway (its table's row-level security shows it to
        # the caller: an active fund is everyone's to see) is no leak; the other user's id itself always is.
        if any(i == self.victim.user_id or not self._visible_to_caller(t, i) for t, i in suspects):
            rec.defect("returned another user's object", context, fn, None, shown[:200], example)

    def _visible_to_caller(self, table: str, id_: uuid.UUID) -> bool:
        """Whether the row ID of TABLE is one the caller reads directly, as the app login authenticated
        as the caller under the table's row-level security (false where the app may not read the table)."""
        query = sql.SQL('select count(*) from {} x where x.id = %s').format(sql.Identifier(*table.split('.')))
        try:
            self.app.execute('select api.authenticate(%s)', [self.caller.token])
            visible = self.app.execute(query, [id_]).fetchone()[0] > 0
        except psycopg.Error:
            visible = False
        self.app.rollback()
        return visible

    def invariants(self) -> list[tuple[str, str]]:
        return self.side.execute('select * from ops.verify_invariants()').fetchall()
