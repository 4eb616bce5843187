"""analytics.return_metrics against empyrical-reloaded (issue 15 §1, docs/analytics.md "Return metrics").

Random series, normal and fat-tailed (Student's t), 2 to 5,000 returns, with and without a benchmark, at
252, 52 and 12 periods a year: every figure equals empyrical's (scipy's for skew and kurtosis, numpy's for
correlation, best and worst period) to 1e-9 relative where empyrical's is finite, and is NULL where
empyrical's is NaN or infinite. A figure that is 0 in exact arithmetic (the skew of two returns, the
volatility of a constant series) may come out as a rounding residue of about 1e-16 on either side, so an
absolute difference of 1e-14 also passes; for any figure of magnitude 1e-5 or more that is stricter than
the relative bound. Then the documented edge cases, the aggregate form and the analyst's access.
"""

import math
import warnings

import empyrical
import numpy as np
import pytest
from scipy import stats

REL = 1e-9
ABS = 1e-14
SERIES = 64


def expected(r: np.ndarray, b: np.ndarray | None, periods: int) -> dict[str, float]:
    """empyrical-reloaded's figures (scipy's skew and kurtosis, numpy's correlation); NaN where undefined.
    empyrical has no tracking error or information ratio: they are its annual volatility of r - b and its
    excess Sharpe (not annualised) times √P, DESIGN §5's definitions."""
    n = len(r)
    with warnings.catch_warnings(), np.errstate(all='ignore'):
        warnings.simplefilter('ignore')
        figures = {
            'observations': n,
            'cumulative_return': empyrical.cum_returns_final(r),
            'annual_return': empyrical.annual_return(r, annualization=periods),
            'annual_volatility': empyrical.annual_volatility(r, annualization=periods),
            'sharpe_ratio': empyrical.sharpe_ratio(r, annualization=periods),
            'downside_risk': empyrical.downside_risk(r, annualization=periods),
            'sortino_ratio': empyrical.sortino_ratio(r, annualization=periods),
            'max_drawdown': empyrical.max_drawdown(r),
            'calmar_ratio': empyrical.calmar_ratio(r, annualization=periods),
            'omega_ratio': empyrical.omega_ratio(r),
            'tail_ratio': empyrical.tail_ratio(r),
            'stability': empyrical.stability_of_timeseries(r),
            'var_95': empyrical.value_at_risk(r, 0.05),
            'var_99': empyrical.value_at_risk(r, 0.01),
            'cvar_95': empyrical.conditional_value_at_risk(r, 0.05),
            'cvar_99': empyrical.conditional_value_at_risk(r, 0.01),
            'skew': stats.skew(r) if n else math.nan,
            'kurtosis': stats.kurtosis(r) if n else math.nan,
            'best_period': r.max() if n else math.nan,
            'worst_period': r.min() if n else math.nan,
        }
        if b is not None:
            figures |= {
                'beta': empyrical.beta(r, b),
                'alpha': empyrical.alpha(r, b, annualization=periods),
                'correlation': np.corrcoef(r, b)[0, 1] if n > 1 else math.nan,
                'tracking_error': empyrical.annual_volatility(r - b, annualization=periods),
                'information_ratio': empyrical.excess_sharpe(r, b) * math.sqrt(periods),
            }
    return {k: float(v) for k, v in figures.items()}


def metrics(conn, r, b=None, periods: int = 252) -> dict[str, float | None]:
    cur = conn.execute(
        'select * from analytics.return_metrics(%s::float8[], %s::float8[], %s)',
        [[float(x) for x in r], None if b is None else [float(x) for x in b], periods],
    )
    return dict(zip([c.name for c in cur.description], cur.fetchone(), strict=True))


def differences(ours: dict, theirs: dict) -> tuple[list[str], float]:
    """The figures that disagree, and the largest relative difference among those that agree (over
    figures above the residue level)."""
    wrong, worst = [], 0.0
    for name, want in theirs.items():
        got = ours[name]
        if not math.isfinite(want):
            if got is not None:
                wrong.append(f'{name}: empyrical {want}, ours {got} (want NULL)')
        elif got is None:
            wrong.append(f'{name}: empyrical {want}, ours NULL')
        elif not math.isclose(got, want, rel_tol=REL, abs_tol=ABS):
            wrong.append(f'{name}: empyrical {want!r}, ours {got!r}')
        elif abs(want) > ABS:
            worst = max(worst, abs(got - want) / abs(want))
    return wrong, worst


def random_series(i: int) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Series i: lengths spread log-uniformly over 2..5,000 (the first 2, the second 5,000), normal (even i)
    or Student's t with 3 to 5 degrees of freedom (odd i); a benchmark for two series in three; 252, 52 or
    12 periods a year. Returns are kept above -0.95 (a fat tail could otherwise pass -1)."""
    rng = np.random.default_rng(1500 + i)
    n = {0: 2, 1: 5000}.get(i, round(math.exp(rng.uniform(math.log(2), math.log(5000)))))
    mean, sd = rng.uniform(-0.001, 0.002), rng.uniform(0.005, 0.03)
    if i % 2:
        df = int(rng.choice([3, 4, 5]))
        r = mean + sd * rng.standard_t(df, n) / math.sqrt(df / (df - 2))
    else:
        r = rng.normal(mean, sd, n)
    r = np.maximum(r, -0.95)
    b = None if i % 3 == 0 else np.maximum(rng.uniform(-0.5, 1.5) * r + rng.normal(0.0003, 0.01, n), -0.95)
    return r, b, (252, 52, 12)[i % 3]


def test_random_series_agree_with_empyrical(conn):
    failures, worst, compared = [], 0.0, 0
    for i in range(SERIES):
        r, b, periods = random_series(i)
        theirs = expected(r, b, periods)
        wrong, err = differences(metrics(conn, r, b, periods), theirs)
        failures += [f'series {i} (n={len(r)}, P={periods}): {w}' for w in wrong]
        worst, compared = max(worst, err), compared + len(theirs)
    print(f'\n{SERIES} series, {compared} figures: largest relative difference to empyrical {worst:.2e}')
    assert not failures, '\n'.join(failures)
    assert worst <= REL


# (returns, benchmark): the documented edge cases (docs/analytics.md), each against empyrical.
EDGE_CASES = {
    'one value': ([0.01], None),
    'one loss': ([-0.02], None),
    'all zero': ([0.0] * 5, None),
    'all negative': ([-0.01, -0.02, -0.03], None),
    'all positive': ([0.01, 0.02, 0.03], None),
    'constant': ([0.003] * 7, None),
    'constant loss': ([-0.01] * 4, None),
    'everything lost': ([0.1, -1.0, 0.2], None),
    'two values': ([0.01, -0.02], None),
    'constant benchmark': ([0.01, -0.02, 0.03], [0.01, 0.01, 0.01]),
    'benchmark equal to the returns': ([0.01, -0.02, 0.03], [0.01, -0.02, 0.03]),
    'one value with a benchmark': ([0.01], [0.02]),
}


@pytest.mark.parametrize('case', EDGE_CASES)
def test_edge_cases_agree_with_empyrical(conn, case):
    r, b = EDGE_CASES[case]
    theirs = expected(np.array(r), None if b is None else np.array(b), 252)
    wrong, _ = differences(metrics(conn, r, b), theirs)
    assert not wrong, '\n'.join(wrong)


def test_empty_series(conn):
    ours = metrics(conn, [])
    assert ours['observations'] == 0
    assert all(v is None for k, v in ours.items() if k != 'observations')


def test_aggregate_equals_the_function(conn):
    r, _, _ = random_series(2)
    rows = [(day, float(x)) for day, x in enumerate(r)]
    agg = conn.execute(
        """
        select (m).* from (
            select analytics.return_metrics_agg(v.r order by v.day) as m
            from unnest(%s::int[], %s::float8[]) as v (day, r)
        ) as s
        """,
        [[d for d, _ in reversed(rows)], [x for _, x in reversed(rows)]],
    ).fetchone()
    assert list(agg) == list(metrics(conn, r).values())


def test_analyst_may_run_the_metrics(analyst_conn):
    ours = metrics(analyst_conn, [0.01, -0.02, 0.03])
    assert ours['observations'] == 3
    row = analyst_conn.execute(
        'select (analytics.return_metrics_agg(r order by d)).observations '
        'from (values (1, 0.01::float8), (2, 0.02)) as v (d, r)'
    ).fetchone()
    assert row == (2,)
