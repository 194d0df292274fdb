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


def test_order_statistic_interval_matches_bootstrap_for_large_n():
    # Both must bracket the exponential(1) P90 = ln 10 (closed form) and agree closely.
    from sim.indicators.stats import order_statistic_quantile_interval

    rng = np.random.default_rng(7)
    v = rng.exponential(1.0, 4000)
    lo_b, hi_b = bootstrap_quantile_interval(v)
    lo_o, hi_o = order_statistic_quantile_interval(v)
    assert lo_o < np.log(10) < hi_o
    assert lo_o == pytest.approx(lo_b, abs=0.06) and hi_o == pytest.approx(hi_b, abs=0.06)


def test_large_samples_use_order_statistics_without_huge_memory():
    rng = np.random.default_rng(8)
    v = rng.exponential(1.0, 1_000_000)
    lo, hi = bootstrap_quantile_interval(v)  # would need 2000 x 1e6 resamples otherwise
    assert lo < np.log(10) < hi and hi - lo < 0.02


def test_order_statistic_interval_small_n_conover_ranks():
    # n = 20, q = 0.9: the Binomial(20, 0.9) 2.5 % / 97.5 % points are 15 and 20
    # (P(X<=14) = 0.011, P(X<=15) = 0.043), so by Conover (1999) §3.2 the interval
    # runs from order statistic 15 to the largest value.
    from sim.indicators.stats import order_statistic_quantile_interval

    v = np.arange(1, 21, dtype=float)
    lo, hi = order_statistic_quantile_interval(v)
    assert (lo, hi) == (15.0, 20.0)
