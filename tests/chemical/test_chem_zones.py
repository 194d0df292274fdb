"""Threat zones and calc_* entry points: consistency and behaviour."""

import math

import numpy as np
import pytest

from scenarios.chemical import zones as z
from scenarios.chemical.chemicals import get_chemical
from scenarios.chemical.dispersion import plume_concentration


def test_zone_distance_hits_loc():
    # Root of the plume equation: C(x_zone) must equal the LOC (AEGL-2 ammonia 60 min = 160 ppm).
    r = z.calc_zones("ammonia", 1.0, 3.0, "D")
    loc = get_chemical("ammonia").ppm_to_mg_m3(160.0)
    c = plume_concentration(1.0, 3.0, "D", r["aegl2_m"]) * 1e6
    assert c == pytest.approx(loc, rel=1e-6)
    assert r["aegl3_m"] < r["aegl2_m"] < r["aegl1_m"]


def test_zones_shrink_with_wind_under_d():
    d = [z.calc_zones("ammonia", 1.0, u, "D")["aegl1_m"] for u in (2.0, 4.0, 8.0)]
    assert d[0] > d[1] > d[2]


def test_zones_larger_under_f_than_d():
    f = z.calc_zones("hydrogen_sulfide", 0.5, 2.0, "F")
    d = z.calc_zones("hydrogen_sulfide", 0.5, 2.0, "D")
    for k in ("aegl1_m", "aegl2_m", "aegl3_m"):
        assert f[k] > d[k]
    assert any("stable class F" in w for w in f["warnings"])


def test_heavy_gas_flag_in_zones():
    cl = z.calc_zones("chlorine", 1.0, 3.0, "D")
    nh = z.calc_zones("ammonia", 1.0, 3.0, "D")
    assert cl["heavy_gas"] is True and "dense_gas" in cl
    assert nh["heavy_gas"] is False and "dense_gas" not in nh


def test_calc_plume_dict():
    r = z.calc_plume("ammonia", 1.0, 3.0, "D", 1000.0)
    for k in ("concentration_mg_m3", "concentration_ppm", "sigma_y_m", "sigma_z_m", "warnings"):
        assert k in r
    # Ground-level centreline: C = Q/(pi u sy sz) (CCPS plume equation).
    expect = 1.0 / (math.pi * 3.0 * r["sigma_y_m"] * r["sigma_z_m"]) * 1e6
    assert r["concentration_mg_m3"] == pytest.approx(expect, rel=1e-12)
    assert r["concentration_ppm"] == pytest.approx(expect * 24.45 / 17.031, rel=1e-12)


def test_footprint_polygon_bounds():
    loc = get_chemical("ammonia").ppm_to_mg_m3(30.0)
    poly = np.array(z.footprint_polygon(loc, 1.0, 3.0, "D"))
    x_end = z.zone_distance(loc, 1.0, 3.0, "D")
    assert poly[:, 0].max() == pytest.approx(x_end)
    assert np.allclose(poly[0], poly[-1])
    # Each vertex sits on the LOC contour: C(x, y) = LOC (except apex and source point).
    inner = poly[1:-1][np.abs(poly[1:-1, 1]) > 1.0]
    c = plume_concentration(1.0, 3.0, "D", inner[:, 0], inner[:, 1]) * 1e6
    np.testing.assert_allclose(c, loc, rtol=1e-9)


def test_to_map_frame_rotation():
    # Wind from north: downwind is south; local +y (left of downwind) is east.
    pts = z.to_map_frame([(100.0, 0.0), (0.0, 10.0)], 1000.0, 2000.0, 0.0)
    np.testing.assert_allclose(pts, [[1000.0, 1900.0], [1010.0, 2000.0]], atol=1e-9)
    # Wind from west (270): downwind is east.
    pts = z.to_map_frame([(100.0, 0.0)], 0.0, 0.0, 270.0)
    np.testing.assert_allclose(pts, [[100.0, 0.0]], atol=1e-9)


def test_bad_inputs():
    with pytest.raises(ValueError, match="rate_kg_s"):
        z.calc_zones("ammonia", -1.0, 3.0, "D")
    with pytest.raises(ValueError, match="stability"):
        z.calc_plume("ammonia", 1.0, 3.0, "Q", 100.0)
    with pytest.raises(ValueError, match="known"):
        z.calc_zones("kryptonite", 1.0, 3.0, "D")
