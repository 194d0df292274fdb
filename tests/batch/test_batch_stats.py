"""Batch-level statistics: verdicts from intervals, paired differences, per-run targets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.batch.compare import bootstrap_mean_interval, paired_differences, which_better
from sim.batch.outcomes import meets_target, reduce_samples
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import Samples
from sim.indicators.scorecard import score_samples

COVER = CATALOG["warning_public_coverage"]  # ≥ 0.95 in 2025 (plan Table 2)
SEA = CATALOG["sea_arrival_time"]  # < 2 h in 2025 (plan Table 2)


def _prop(k, n):
    return Samples(np.r_[np.ones(k), np.zeros(n - k)], [f"r:{i}" for i in range(n)])


@pytest.mark.parametrize(
    "k,n,lo,hi,verdict",
    [
        # Wilson (1927) score interval, z = 1.959964, by hand from Brown, Cai & DasGupta (2001) eq. 4:
        (19, 20, 0.7639, 0.9911, "cannot tell"),  # contains 0.95
        (200, 200, 200 / (200 + 1.959964**2), 1.0, "pass"),  # lower bound n/(n+z²) = 0.98115
        (150, 200, 0.6856, 0.8049, "fail"),
    ],
)
def test_proportion_verdict_from_wilson_interval(k, n, lo, hi, verdict):
    row = score_samples(COVER, _prop(k, n), 2025)
    assert row["ci_low"] == pytest.approx(lo, abs=1e-4)
    assert row["ci_high"] == pytest.approx(hi, abs=1e-4)
    assert row["verdict"] == verdict


def test_time_verdict_cannot_tell_when_bootstrap_interval_contains_target():
    v = np.linspace(0.0, 2.0 / 0.9, 100)  # P90 (inverted CDF) sits right at the 2 h target
    row = score_samples(SEA, Samples(v, ["t"] * v.size), 2025)
    assert row["ci_low"] < 2.0 < row["ci_high"]
    assert row["verdict"] == "cannot tell"
    fast = score_samples(SEA, Samples(np.full(50, 1.0), ["t"] * 50), 2025)
    assert (fast["ci_low"], fast["ci_high"], fast["verdict"]) == (1.0, 1.0, "pass")


def test_per_run_reduction_matches_scorecard_statistic():
    v = np.array([0.5, 1.0, 1.5, 2.5, np.inf])
    # inverted-CDF P90 of 5 values is the 5th smallest (ceil(0.9·5) = 5): never reached → inf
    assert reduce_samples(SEA, v) == math.inf
    assert reduce_samples(COVER, np.array([1, 1, 0, 1.0])) == 0.75
    assert math.isnan(reduce_samples(SEA, np.zeros(0)))


def test_meets_target_respects_strict_directions():
    assert meets_target(SEA, 1.99, 2025) is True
    assert meets_target(SEA, 2.0, 2025) is False  # "< 2 h": exactly 2 fails
    assert meets_target(COVER, 0.95, 2025) is True  # "≥ 95 %": exactly 95 % passes
    assert meets_target(SEA, float("nan"), 2025) is None
    assert meets_target(SEA, np.float64(3.0), 2025) is False  # numpy scalars give Python bools


def test_bootstrap_mean_interval_known_cases():
    assert bootstrap_mean_interval(np.full(10, -0.4)) == (-0.4, -0.4)
    d = np.tile([-1.0, 1.0], 50)  # mean 0, sd 1.005: normal-theory 95 % half-width 1.96·sd/√100
    lo, hi = bootstrap_mean_interval(d)
    half = 1.959964 * d.std(ddof=1) / 10
    assert lo == pytest.approx(-half, abs=0.03) and hi == pytest.approx(half, abs=0.03)


def test_which_better_is_direction_aware_and_undecided_when_interval_contains_zero():
    assert which_better(-1, -0.5, -0.1) == "B"  # smaller is better (times), B − A < 0
    assert which_better(+1, -0.5, -0.1) == "A"  # larger is better (shares)
    assert which_better(-1, -0.5, 0.2) == "no clear difference"
    assert which_better(-1, 0.0, 0.0) == "same"


def test_paired_differences_cap_never_reached_times():
    a = pd.DataFrame({"seed": [1, 2, 3], "out.sea_arrival_time": [1.0, np.inf, 3.0]})
    b = pd.DataFrame({"seed": [1, 2, 3], "out.sea_arrival_time": [0.5, 1.0, 1.9]})
    df = paired_differences(a, b, [SEA], 2025, cap_h=12.0).set_index("id")
    r = df.loc["sea_arrival_time"]
    assert r["pairs"] == 3 and r["pairs_capped"] == 1
    assert r["diff_mean"] == pytest.approx(((0.5 - 1) + (1 - 12) + (1.9 - 3)) / 3)
    assert r["runs_meeting_target_a"] == "1/3" and r["runs_meeting_target_b"] == "3/3"
    with pytest.raises(ValueError, match="same seeds"):
        paired_differences(a, b.assign(seed=[1, 2, 4]), [SEA], 2025)
