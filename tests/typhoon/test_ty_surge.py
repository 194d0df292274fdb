import numpy as np
import pytest

from scenarios.typhoon.surge import (
    drag_coefficient,
    holland_pressure_hpa,
    inverse_barometer_m,
    surge_m,
    wind_setup_m,
)


def test_inverse_barometer_099_cm_per_hpa():
    # models.md: dp/(rho_w g) = 100 Pa / (1025 * 9.81) = 0.009945 m per hPa
    assert float(inverse_barometer_m(1.0)) == pytest.approx(0.009945, rel=1e-3)
    assert float(inverse_barometer_m(50.0)) == pytest.approx(0.497, rel=1e-3)


def test_holland_pressure_profile_limits():
    p = holland_pressure_hpa(np.array([0.0, 1e6]), 955.0, 1005.0, 36.0, 1.5)
    assert p[0] == pytest.approx(955.0) and p[1] == pytest.approx(1005.0, abs=1e-3)


def test_drag_coefficients():
    # Large & Pond (1981): 1.2e-3 below 11 m/s, 0.49+0.065U above; Garratt (1977) 0.75+0.067U
    assert float(drag_coefficient(8.0, "large_pond")) == pytest.approx(1.2e-3)
    assert float(drag_coefficient(20.0, "large_pond")) == pytest.approx(1.79e-3)
    assert float(drag_coefficient(10.0)) == pytest.approx(1.42e-3)
    assert float(drag_coefficient(40.0)) == pytest.approx(2.5e-3)  # capped


def test_wind_setup_hand_calc_and_onshore_only():
    # U = 30 m/s onshore, Cd capped 2.5e-3: tau = 1.15*2.5e-3*900 = 2.5875 Pa;
    # linear setup = tau L / (rho_w g h) = 2.5875*30000/(1025*9.81*10) = 0.7720 m
    ws = wind_setup_m(np.array([30.0, -30.0]), np.array([0.0, 0.0]), 1.0, 0.0, 10.0, 30.0)
    assert ws[0] == pytest.approx(0.7720, rel=1e-3)
    assert ws[1] == 0.0  # offshore wind: no setup
    nl = wind_setup_m(np.array([30.0]), np.array([0.0]), 1.0, 0.0, 10.0, 30.0, method="nonlinear")
    assert 0 < nl[0] < ws[0]


def test_surge_total_and_bad_input():
    out = surge_m(np.array([50.0]), np.array([0.0]), np.array([30.0]), 0.0, 1.0, tide_m=0.5)
    assert out["total_m"][0] == pytest.approx(0.497 + 0.772 + 0.5, rel=2e-3)
    with pytest.raises(ValueError, match="depth"):
        wind_setup_m(np.array([1.0]), np.array([1.0]), 1.0, 0.0, depth_m=0.0)
