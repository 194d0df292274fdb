"""Raster spread (minimum travel time) against the Anderson (1983) / Behave fireSize ellipse."""

import math

import numpy as np
import pytest

from scenarios.forestfire.ellipse import FireEllipse
from scenarios.forestfire.fuel_models import get_fuel_model
from scenarios.forestfire.rothermel import Moisture, surface_fire
from scenarios.forestfire.spread import FireSpread, fuel_grid_from_codes, marching_squares_perimeter

M = Moisture(6, 7, 8, 60, 90)


def _homogeneous_run(fuel, wind, wind_from, cs=30.0, stencil=32, t=60.0):
    res = surface_fire(fuel, M, wind)
    ell = FireEllipse(res.ros_m_min, res.lw_ratio)
    n = int(2 * ell.length(t) / cs) + 20
    fs = FireSpread(
        np.full((n, n), get_fuel_model(fuel).number), cs, None, M, wind, wind_from, stencil=stencil
    )
    c = n // 2
    fs.ignite(c, c, 0.0)
    fs.advance(t)
    return fs, res, ell, c


@pytest.mark.parametrize(
    ("fuel", "wind", "wind_from"),
    [("GS4", 2.2352, 270.0), ("FM1", 2.0, 240.0), ("FM4", 3.0, 200.0), ("GR2", 2.5, 0.0)],
)
def test_homogeneous_matches_anderson_ellipse(fuel, wind, wind_from):
    """Flat, uniform fuel, constant wind: head ROS within 5 %, 1-h area within 10 % (Behave fireSize)."""
    fs, res, ell, c = _homogeneous_run(fuel, wind, wind_from)
    cs = fs.cell_size_m
    # head ROS: arrival time at the farthest burned cell along the head ray
    az = math.radians(wind_from + 180.0)
    arr = fs.forecast_arrival_min(120.0)
    est = []
    for d in np.arange(5 * cs, 2 * ell.length(60.0), cs / 4):
        r = int(round(c - d * math.cos(az) / cs))
        col = int(round(c + d * math.sin(az) / cs))
        if 0 <= r < arr.shape[0] and 0 <= col < arr.shape[1] and 20.0 < arr[r, col] <= 60.0:
            est.append(math.hypot((r - c) * cs, (col - c) * cs) / arr[r, col])
    head = max(est)
    assert head == pytest.approx(res.ros_m_min, rel=0.05)
    assert fs.burned_area_ha(60.0) * 1e4 == pytest.approx(ell.area(60.0), rel=0.10)
    assert fs.perimeter_m(60.0) == pytest.approx(ell.perimeter(60.0), rel=0.10)


def test_slope_upslope_faster():
    n, cs = 61, 30.0
    rows = np.arange(n)[:, None] * np.ones((1, n))
    z = (n - rows) * cs * 0.4  # 40 % slope rising to the north (row 0)
    fs = FireSpread(np.full((n, n), 124), cs, z, M, 0.0, 0.0)
    fs.ignite(30, 30, 0.0)
    a = fs.forecast_arrival_min(2000.0)
    assert a[25, 30] < a[35, 30]  # 5 cells north (upslope) sooner than 5 cells south
    assert a[25, 30] < a[30, 35]  # and sooner than across slope
    flat = FireSpread(np.full((n, n), 124), cs, None, M, 0.0, 0.0)
    flat.ignite(30, 30, 0.0)
    assert a[25, 30] < flat.forecast_arrival_min(2000.0)[25, 30]


def test_nonburnable_barrier_stops_fire():
    n = 60
    fuel = np.full((n, n), 102)
    fuel[:, 40] = 0  # one-cell non-burnable column
    fs = FireSpread(fuel, 30.0, None, M, 4.0, 270.0)  # wind pushes fire east, into the barrier
    fs.ignite(30, 20, 0.0)
    fs.advance(600.0)
    burned = fs.burned_mask()
    assert burned[:, 39].any()  # fire reached the barrier
    assert not burned[:, 41:].any()  # ... and never crossed it
    assert not fs.is_active or not fs.front_cells()[:, 41:].any()


def test_block_and_extinguish():
    n = 60
    fs = FireSpread(np.full((n, n), 102), 30.0, None, M, 3.0, 270.0)
    fs.ignite(30, 10, 0.0)
    fs.advance(20.0)
    line = np.zeros((n, n), dtype=bool)
    line[:, 30] = True
    fs.block(line)  # constructed fireline ahead of the head
    fs.advance(600.0)
    assert not fs.burned_mask()[:, 31:].any()
    # extinguishing the whole fire leaves no front
    fs.extinguish(fs.burned_mask())
    assert not fs.front_cells().any()
    area = fs.burned_area_ha()
    fs.advance(900.0)
    assert fs.burned_area_ha() == area


def test_wind_shift_respreads_from_front():
    n = 101
    fs = FireSpread(np.full((n, n), 124), 30.0, None, M, 3.0, 270.0)  # wind to the east
    fs.ignite(50, 50, 0.0)
    fs.advance(30.0)
    before = fs.arrival_time_min.copy()
    fs.set_weather(30.0, wind_from_deg=0.0)  # wind now from the north: spread south
    fs.advance(120.0)
    after = fs.arrival_time_min
    fixed = np.isfinite(before)
    assert np.array_equal(before[fixed], after[fixed])  # the past is not rewritten
    south = np.isfinite(after[51:, 50]).sum()
    north = np.isfinite(after[:50, 50]).sum()
    assert south > 2 * north


def test_resolve_without_change_is_continuous():
    n = 81
    a = FireSpread(np.full((n, n), 124), 30.0, None, M, 3.0, 250.0, horizon_min=30.0)
    a.ignite(40, 40, 0.0)
    ref = FireSpread(np.full((n, n), 124), 30.0, None, M, 3.0, 250.0)
    ref.ignite(40, 40, 0.0)
    for t in range(10, 150, 10):
        a.set_weather(float(t))  # same weather: no-op re-solve
    ra, rb = a.forecast_arrival_min(140.0), ref.forecast_arrival_min(140.0)
    assert np.array_equal(np.isfinite(ra), np.isfinite(rb))
    ok = np.isfinite(ra)
    assert np.allclose(ra[ok], rb[ok], atol=1e-6)


def test_readouts_and_intensity():
    n = 41
    fs = FireSpread(np.full((n, n), 124), 30.0, None, M, 2.0, 270.0)
    fs.ignite(20, 20, 5.0)
    fs.advance(4.0)
    assert fs.burned_area_ha() == 0.0
    fs.advance(30.0)
    assert fs.burning_mask().any() and fs.front_cells().any()
    head = surface_fire("GS4", M, 2.0).fireline_intensity_kw_m
    assert fs.max_intensity == pytest.approx(head, rel=0.02)
    i = fs.intensity_kw_m()
    assert i[fs.burned_mask()].min() < 0.5 * head  # backing/flank cells are less intense


def test_marching_squares_circle():
    n = 201
    yy, xx = np.mgrid[0:n, 0:n]
    disc = (xx - 100) ** 2 + (yy - 100) ** 2 <= 80**2
    assert marching_squares_perimeter(disc) == pytest.approx(2 * math.pi * 80, rel=0.02)


def test_fuel_codes_to_grid():
    g = fuel_grid_from_codes([["FM4", "GS4"], ["", "NB8"]])
    assert g.tolist() == [[4, 124], [0, 98]]
