"""Interval estimates and verdicts against known cases."""

from __future__ import annotations

import numpy as np
import pytest

from sim.indicators.stats import bootstrap_quantile_interval, verdict, wilson_interval


def test_wilson_zero_successes_closed_form():
    # For k = 0 the Wilson upper bound is z²/(n+z²) (Brown, Cai & DasGupta 2001, eq. 4);
    # n = 20, z = 1.959964 → 0.16113 (Newcombe 1998, Stat Med 17:857, Table I, 0/20: 0–0.1611)
    lo, hi = wilson_interval(0, 20)
    assert lo == 0.0
    assert hi == pytest.approx(0.1611, abs=1e-4)


def test_wilson_newcombe_example():
    # Newcombe (1998) Table I, example 81/263: Wilson score interval 0.2553–0.3662
    lo, hi = wilson_interval(81, 263)
    assert lo == pytest.approx(0.2553, abs=1e-4)
    assert hi == pytest.approx(0.3662, abs=1e-4)


def test_wilson_rejects_bad_counts():
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_bootstrap_constant_sample_is_degenerate():
    assert bootstrap_quantile_interval(np.full(50, 2.5)) == (2.5, 2.5)


def test_bootstrap_covers_true_p90_of_exponential():
    # Exponential(1): P90 = ln 10 = 2.302585 (closed form of the quantile function)
    rng = np.random.default_rng(42)
    lo, hi = bootstrap_quantile_interval(rng.exponential(1.0, 4000))
    assert lo < np.log(10) < hi
    assert hi - lo < 0.4


def test_bootstrap_treats_censored_as_worst():
    v = np.array([0.5] * 5 + [np.inf] * 5)
    lo, hi = bootstrap_quantile_interval(v)
    assert hi == np.inf


@pytest.mark.parametrize(
    "lo,hi,target,direction,expected",
    [
        (0.96, 0.99, 0.95, ">=", "pass"),
        (0.90, 0.94, 0.95, ">=", "fail"),
        (0.93, 0.97, 0.95, ">=", "cannot tell"),
        (1.0, 1.5, 2.0, "<", "pass"),
        (2.5, 3.0, 2.0, "<", "fail"),
        (1.5, 2.5, 2.0, "<", "cannot tell"),
        (1.5, 2.0, 2.0, "<", "cannot tell"),
        (2.0, 2.5, 2.0, "<", "fail"),
    ],
)
def test_verdicts(lo, hi, target, direction, expected):
    assert verdict(lo, hi, target, direction) == expected
