"""R-CLIPER rain profile (Tuleya et al. 2007) and the gridded rain field."""

import numpy as np
import pytest

from scenarios.typhoon.rain import (
    IN_PER_DAY_TO_MM_H,
    KN_TO_M_S,
    RainField,
    orographic_rate_mm_h,
    rcliper_profile,
    rcliper_rate_mm_h,
)


@pytest.mark.parametrize(
    ("vmax_kt", "t0_in_day", "tm_in_day", "rm_km", "re_km"),
    [
        # U = 1 + (Vmax - 35)/33; Tuleya et al. (2007) Table 2 (NHC): T0 = -1.10 + 3.96U,
        # Tm = -1.60 + 4.80U (in/day), rm = 64.5 - 13.0U, re = 150 - 16U (km)
        (35.0, 2.86, 3.20, 51.5, 134.0),
        (68.0, 6.82, 8.00, 38.5, 118.0),
        (101.0, 10.78, 12.80, 25.5, 102.0),
    ],
)
def test_rcliper_parameters_reproduce_tuleya_2007_table2(
    vmax_kt, t0_in_day, tm_in_day, rm_km, re_km
):
    p = rcliper_profile(vmax_kt * KN_TO_M_S)
    assert p.t0_mm_h == pytest.approx(t0_in_day * IN_PER_DAY_TO_MM_H, rel=1e-9)
    assert p.tm_mm_h == pytest.approx(tm_in_day * IN_PER_DAY_TO_MM_H, rel=1e-9)
    assert p.rm_km == pytest.approx(rm_km)
    assert p.re_km == pytest.approx(re_km)


def test_rcliper_profile_values_at_radii():
    # 68 kt (U = 2): 6.82 in/day at the centre, 8.00 in/day at rm = 38.5 km, Tm/e one
    # e-folding radius (118 km) beyond rm (Tuleya et al. 2007 eqs. 3-5): 7.2178, 8.4667, 3.1147 mm/h
    r = np.array([0.0, 38.5, 38.5 + 118.0])
    got = rcliper_rate_mm_h(r, 68.0 * KN_TO_M_S)
    np.testing.assert_allclose(got, [7.217833, 8.466667, 3.114713], rtol=1e-5)


def test_rcliper_weak_storm_has_no_negative_rain():
    # below ~13 kt T0 < 0 in the linear fit: clipped to zero like CLIMADA-petals
    assert (rcliper_rate_mm_h(np.linspace(0, 400, 50), 5.0 * KN_TO_M_S) >= 0).all()


def test_orographic_rain_only_upslope():
    up = orographic_rate_mm_h(np.array([10.0]), np.array([0.0]), np.array([0.01]), np.array([0.0]))
    down = orographic_rate_mm_h(
        np.array([-10.0]), np.array([0.0]), np.array([0.01]), np.array([0.0])
    )
    # w = 0.1 m/s; 0.5 * 1.2e-3 * 0.02 * 0.1 m/s = 1.2e-6 m/s = 4.32 mm/h (Lu et al. 2018 eq. 14)
    assert up[0] == pytest.approx(4.32)
    assert down[0] == 0.0


def test_rain_field_accumulates_hourly_and_totals():
    lat = np.linspace(23.0, 22.0, 21)
    lon = np.linspace(112.0, 113.0, 21)
    lon2d, lat2d = np.meshgrid(lon, lat)
    rf = RainField(lat2d, lon2d, np.zeros_like(lat2d), (5000.0, 5000.0), orographic=False)
    for _ in range(3):
        rf.update(22.5, 112.5, 40.0, None, None, 20.0)
    assert rf.hour_complete
    np.testing.assert_allclose(rf.last_hour, rf.total)
    centre = rcliper_rate_mm_h(np.array([0.0]), 40.0)[0]
    assert rf.total[10, 10] == pytest.approx(centre, rel=1e-6)  # 3 x 20 min at the centre rate
    rf.update(None, None, 0.0, None, None, 20.0)
    assert rf.rate.max() == 0.0
