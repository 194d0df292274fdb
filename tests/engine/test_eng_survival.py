"""Survival curves reproduce their published values; deaths fall with faster rescue."""

from __future__ import annotations

import numpy as np
import pytest

from sim.response import survival


def test_trapped_survival_reproduces_tangshan_daily_rates():
    # Coburn & Spence, Earthquake Protection (2002): trapped victims of Tangshan 1976
    # rescued alive on day 1..5: 81 %, 36.7 %, 33.3 %, 19 %, 7.4 % (mid-day points).
    mid_day_h = np.array([12.0, 36.0, 60.0, 84.0, 108.0])
    assert survival.trapped_survival(mid_day_h) == pytest.approx([0.81, 0.367, 0.333, 0.19, 0.074])
    t = np.linspace(0, 200, 401)
    assert np.all(np.diff(survival.trapped_survival(t)) <= 0)  # never rises with time


def test_immersion_median_time_follows_the_uscg_table():
    # USCG cold-water table: 10-16 degC expected survival 1-6 h, 16-21 degC 2-40 h.
    assert survival.immersion_t50_h(12.0) == pytest.approx(np.sqrt(6.0))
    assert survival.immersion_t50_h(18.0) == pytest.approx(np.sqrt(80.0))
    # colder water kills sooner
    assert survival.immersion_t50_h(12.0) < survival.immersion_t50_h(18.0)
    s_calm = survival.immersion_survival(2.0, 18.0, storm_sea=False)
    assert s_calm == pytest.approx(0.5 ** (2.0 / np.sqrt(80.0)))
    assert survival.immersion_survival(2.0, 18.0) < s_calm  # a storm sea adds drowning
    with pytest.raises(ValueError, match="below the modelled range"):
        survival.immersion_t50_h(5.0)


@pytest.mark.parametrize("curve", sorted(survival.CURVES))
def test_a_faster_rescue_never_kills_more_on_the_same_draw(curve):
    for seed in range(20):
        d = [survival.deaths(curve, 10, t, seed, "I00001")[0] for t in (0.5, 6, 24, 72, 150)]
        assert d == sorted(d)
    slow = sum(survival.deaths(curve, 10, 72.0, s, "I1")[0] for s in range(50))
    fast = sum(survival.deaths(curve, 10, 1.0, s, "I1")[0] for s in range(50))
    assert fast < slow
