"""analytics.xirr against pyxirr (issue 15 §2): the money-weighted return of many random cash-flow sets.

- Flows with one sign change (after netting flows of one date): exactly one rate exists; ours equals pyxirr's.
- Account-like flows (payments in, payments out, the end value: several sign changes): where pyxirr finds a
  rate, ours is the same one or another root nearer to 0 %; where ours finds one, it is a root.
- Flows of one sign: no rate; pyxirr refuses them, ours is NULL with the reason.

The comparison prints how many sets it ran and the largest difference (pytest -s shows it).
"""

import datetime as dt
import decimal
import itertools
import math
import random

import pytest
import pyxirr

SEED = 152
START = dt.date(2020, 1, 1)
# Rates agree to this (absolute up to 100 %, relative above): the rate the solver promises is 1e-10.
TOLERANCE = 1e-9
SAME_SIGN = (
    'every flow has the same sign (after netting flows of the same date): no rate makes their value zero'
)
NO_CROSSING = 'no rate: the flows change sign 2 times, but their value does not cross zero'


def ours(conn, amounts, dates):
    return conn.execute(
        'select rate, reason from analytics.xirr(%s::double precision[], %s::date[])', [amounts, dates]
    ).fetchone()


def theirs(amounts, dates):
    try:
        rate = pyxirr.xirr(dates, amounts)
    except pyxirr.InvalidPaymentsError:
        return None
    return None if rate is None or math.isnan(rate) else rate


def npv(rate, amounts, dates):
    first = min(dates)
    return sum(a * (1 + rate) ** (-(d - first).days / 365) for a, d in zip(amounts, dates, strict=True))


def exact_root(rate, amounts, dates):
    """The root near `rate` to 40 digits: Newton's steps in decimal arithmetic."""
    first = min(dates)
    with decimal.localcontext() as ctx:
        ctx.prec = 40
        flows = [
            (decimal.Decimal(a), decimal.Decimal((d - first).days) / 365)
            for a, d in zip(amounts, dates, strict=True)
        ]
        r = decimal.Decimal(rate)
        for _ in range(6):
            value = sum(a * (1 + r) ** -t for a, t in flows)
            slope = sum(-t * a * (1 + r) ** (-t - 1) for a, t in flows)
            r -= value / slope
        return float(r)


def netted(amounts, dates):
    """Amounts per date, oldest first, zero sums left out."""
    sums = {}
    for a, d in zip(amounts, dates, strict=True):
        sums[d] = sums.get(d, 0.0) + a
    return [sums[d] for d in sorted(sums) if sums[d] != 0]


def sign_changes(amounts, dates):
    values = netted(amounts, dates)
    return sum(1 for x, y in itertools.pairwise(values) if (x > 0) != (y > 0))


def differs(a, b):
    return abs(a - b) / max(1.0, abs(b))


def random_dates(rng, n):
    span = rng.choice([30, 365, 3 * 365, 10 * 365])
    return sorted(START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(n))


def conventional(rng):
    """Payments in first, payments out after: one sign change."""
    n = rng.randint(2, 60)
    dates = random_dates(rng, n)
    split = rng.randint(1, n - 1)
    growth = math.exp(rng.gauss(0.05, 0.3))
    paid = [rng.lognormvariate(6, 1.5) for _ in range(split)]
    total = sum(paid) * growth
    weights = [rng.random() + 0.01 for _ in range(n - split)]
    received = [total * w / sum(weights) for w in weights]
    amounts = [-x for x in paid] + received
    # Flows of one date may net to another sign: keep only sets that still change sign once.
    return amounts, dates


def account_like(rng):
    """An account's investor: the start equity and deposits paid in, withdrawals and the end value out."""
    n = rng.randint(3, 40)
    dates = random_dates(rng, n)
    amounts = [-rng.lognormvariate(8, 1)]
    equity = -amounts[0]
    for _ in range(n - 2):
        equity *= math.exp(rng.gauss(0.0, 0.05))
        if rng.random() < 0.6:
            flow = rng.lognormvariate(6, 1.5)
            amounts.append(-flow)
            equity += flow
        else:
            flow = equity * rng.uniform(0.05, 0.6)
            amounts.append(flow)
            equity -= flow
    amounts.append(equity * math.exp(rng.gauss(0.0, 0.1)))
    return amounts, dates


def one_sign(rng):
    n = rng.randint(1, 20)
    sign = rng.choice([-1, 1])
    return [sign * rng.lognormvariate(5, 2) for _ in range(n)], random_dates(rng, n)


def test_one_rate_equals_pyxirr(conn):
    rng = random.Random(SEED)
    compared, largest, ours_off, theirs_off = 0, 0.0, 0.0, 0.0
    while compared < 400:
        amounts, dates = conventional(rng)
        if sign_changes(amounts, dates) != 1:
            continue
        expected = theirs(amounts, dates)
        rate, reason = ours(conn, amounts, dates)
        assert reason is None and rate is not None, (amounts, dates, reason)
        if expected is None:
            # pyxirr gave up (its Newton steps left the domain); the one root is still ours.
            assert abs(npv(rate, amounts, dates)) <= 1e-9 * sum(map(abs, amounts)), (amounts, dates, rate)
            continue
        largest = max(largest, differs(rate, expected))
        assert differs(rate, expected) <= TOLERANCE, (amounts, dates, rate, expected)
        # Against the root to 40 digits: ours within the promised 1e-10.
        exact = exact_root(rate, amounts, dates)
        ours_off, theirs_off = max(ours_off, differs(rate, exact)), max(theirs_off, differs(expected, exact))
        assert differs(rate, exact) <= 1e-10, (amounts, dates, rate, exact)
        compared += 1
    print(
        f'\nxirr vs pyxirr, one sign change: {compared} sets, largest difference {largest:.3g}; '
        f'from the root to 40 digits: ours {ours_off:.3g}, pyxirr {theirs_off:.3g}'
    )


def test_account_like_flows(conn):
    rng = random.Random(SEED + 1)
    same, other_root, neither, only_ours, largest = 0, 0, 0, 0, 0.0
    for _ in range(300):
        amounts, dates = account_like(rng)
        expected = theirs(amounts, dates)
        rate, reason = ours(conn, amounts, dates)
        if rate is not None:
            # A root: the flows' value at the rate is zero to the rounding of their sum.
            assert abs(npv(rate, amounts, dates)) <= 1e-8 * sum(map(abs, amounts)), (amounts, dates, rate)
        else:
            assert reason, (amounts, dates)
        if expected is None and rate is None:
            neither += 1
        elif expected is None:
            only_ours += 1
        else:
            assert rate is not None, (amounts, dates, expected, reason)
            if differs(rate, expected) <= TOLERANCE:
                same += 1
                largest = max(largest, differs(rate, expected))
            else:
                # Several roots: ours is the one nearest to 0 %, so pyxirr's lies further out.
                assert abs(npv(expected, amounts, dates)) <= 1e-6 * sum(map(abs, amounts))
                assert abs(math.log1p(rate)) <= abs(math.log1p(expected)), (amounts, dates, rate, expected)
                other_root += 1
    assert same > 250
    print(
        f'\nxirr vs pyxirr, account-like flows: {same} the same rate (largest difference {largest:.3g}), '
        f'{other_root} another root, {only_ours} found only here, {neither} no rate in either'
    )


def test_flows_of_one_sign_have_no_rate(conn):
    rng = random.Random(SEED + 2)
    for _ in range(100):
        amounts, dates = one_sign(rng)
        assert theirs(amounts, dates) is None
        assert ours(conn, amounts, dates) == (None, SAME_SIGN)


@pytest.mark.parametrize('amounts', [[100.0, -300.0, 250.0], [-100.0, 100.0, -100.0]])
def test_flows_whose_value_never_crosses_zero_have_no_rate(conn, amounts):
    """Two sign changes, and a quadratic in 1 / (1 + r) with no real root."""
    dates = [dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)]
    assert theirs(amounts, dates) is None
    rate, why = ours(conn, amounts, dates)
    assert rate is None and why.startswith(NO_CROSSING)
