"""Indoor single-zone model and dose accounting against closed-form solutions."""

import math

import numpy as np
import pytest

from scenarios.chemical.indoor import DoseTracker, indoor_series, indoor_step, steady_fraction


def test_step_response_matches_exponential():
    # dCi/dt = ACH (Co - Ci), Ci(0)=0, Co const -> Ci = Co (1 - exp(-ACH t)) (ALOHA / Wilson 1987).
    ach = np.array([0.5, 1.0, 3.0])
    co = np.full((60, 3), 100.0)
    ci = indoor_series(co, ach, 60.0)
    expected = 100.0 * (1 - np.exp(-ach * 3600.0 / 3600.0))
    np.testing.assert_allclose(ci[-1], expected, rtol=1e-12)
    assert steady_fraction(0.5, 3600.0) == pytest.approx(1 - math.exp(-0.5))


def test_indoor_decays_after_plume_passes():
    ci = indoor_step(np.array([50.0]), np.array([0.0]), 1.0, 3600.0)
    assert ci[0] == pytest.approx(50.0 * math.exp(-1.0))


def test_dose_and_window_averages():
    tr = DoseTracker(2, 60.0)
    # Group 0: 20 ppm for 10 min then clean; group 1: 5 ppm for 60 min.
    for k in range(60):
        tr.add(np.array([20.0 if k < 10 else 0.0, 5.0]))
    np.testing.assert_allclose(tr.dose, [20.0 * 600, 5.0 * 3600])
    np.testing.assert_allclose(tr.max_avg[10], [20.0, 5.0])
    np.testing.assert_allclose(tr.max_avg[60], [20.0 / 6, 5.0])
    # Chlorine AEGLs (EPA): 10-min AEGL-2 2.8, AEGL-3 50; 60-min AEGL-2 2.0, AEGL-3 20.
    assert list(tr.aegl_tier("chlorine")) == [2, 2]


def test_toxic_load_exponent():
    tr = DoseTracker(1, 60.0, toxic_load_n=2.0)
    for _ in range(10):
        tr.add(np.array([3.0]))
    assert tr.toxic_load[0] == pytest.approx(9.0 * 600)


def test_bad_inputs():
    with pytest.raises(ValueError, match="dt_s"):
        DoseTracker(1, 7.0)
    with pytest.raises(ValueError, match="ach"):
        indoor_step(0.0, 1.0, -1.0, 10.0)
